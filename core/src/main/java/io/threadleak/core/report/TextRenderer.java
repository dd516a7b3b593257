package io.threadleak.core.report;

import io.threadleak.core.proof.ProofMark;
import io.threadleak.core.rules.GrowingRule;
import io.threadleak.core.rules.RuleName;
import io.threadleak.core.rules.Suspect;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.site.CreationSite;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders a report as log messages: one summary line, then one block per new or grown suspect and one line
 * per resolved suspect. Unchanged suspects only count in the summary. The final report also lists every
 * suspect that still holds.
 */
public final class TextRenderer {

    /** The summary line. */
    public String summary(Report r) {
        Report.Summary s = r.summary();
        long fresh = r.suspects().stream().filter(e -> e.status() == Status.NEW).count();
        long grown = r.suspects().stream().filter(e -> e.status() == Status.GROWN).count();
        String head = r.last() ? "final summary: " : "";
        String failures = s.hookFailures() > 0 ? ", " + s.hookFailures() + " hook failures (swallowed)" : "";
        return head + s.liveThreads() + " live threads (" + s.trackedThreads() + " tracked at " + s.sites()
                + " creation sites, " + s.endedThreads() + " ended)"
                + (s.liveExecutors() > 0 ? ", " + s.liveExecutors() + " live executors" : "")
                + (s.liveTimers() > 0 ? ", " + s.liveTimers() + " live timers" : "") + failures + "; " + r.suspects().size()
                + (r.suspects().size() == 1 ? " suspect" : " suspects") + " (" + fresh + " new, " + grown
                + " grown, " + r.resolvedNow().size() + " resolved)"
                + (r.suppressed().isEmpty() ? "" : "; " + r.suppressed().size() + " suppressed")
                + (r.last() && !r.resolvedAll().isEmpty() ? "; resolved during the run: " + r.resolvedAll().size() : "");
    }

    /** The warnings to log after the summary, one message each: new and grown suspects in full, and in the
     *  final report a line for each suspect that still holds. */
    public List<String> blocks(Report r) {
        List<String> out = new ArrayList<>();
        for (Report.Entry e : r.suspects()) {
            if (e.status() == Status.NEW || e.status() == Status.GROWN) {
                out.add(block(e, r.nanos(), r.proof(e.suspect())));
            } else if (r.last()) {
                ProofMark proof = r.proof(e.suspect());
                out.add("still " + headline(e, r.nanos()) + (proof == null ? "" : " (" + verdict(proof) + ")"));
            }
        }
        return out;
    }

    /**
     * In the final report, one line per creation site of executors or timers never shut down or cancelled, and one
     * per user suppression rule that never matched (a rule that silences nothing is stale or mistyped).
     */
    public List<String> unclosed(Report r) {
        List<String> out = new ArrayList<>();
        for (Report.Unclosed u : r.summary().unclosed()) {
            out.add("never " + (u.kind().equals("timer") ? "cancelled: " : "shut down: ") + plural(u.count(), u.kind())
                    + " created at " + u.site().blame());
        }
        for (String rule : r.unusedSuppressions()) {
            out.add("suppression rule never matched: " + rule);
        }
        return out;
    }

    /** One line per suspect that was reported and no longer holds. */
    public List<String> resolved(Report r) {
        List<String> out = new ArrayList<>();
        for (Report.Entry e : r.resolvedNow()) {
            Suspect s = e.suspect();
            out.add("RESOLVED " + s.rule() + " at " + s.blame() + " (was " + plural(e.reportedCount(), s.kind()) + ")");
        }
        return out;
    }

    private static String headline(Report.Entry e, long now) {
        Suspect s = e.suspect();
        String change = e.status() == Status.GROWN ? " (+" + (s.count() - e.reportedCount()) + ")" : "";
        String at = s.rule() == RuleName.CANCEL_IGNORED && s.site() == null ? " running at " : " created at ";
        boolean levelled = s.rule() == RuleName.GROWING && !s.evidence().isEmpty()
                && s.evidence().get(0).startsWith(GrowingRule.LEVELLED_OFF);
        return s.rule() + ": " + plural(s.count(), s.kind()) + change + at + s.blame() + ", for "
                + Durations.format(now - s.sinceNanos()) + (levelled ? " (levelled off)" : "");
    }

    /** The full block of one suspect. */
    public String block(Report.Entry e, long now) {
        return block(e, now, null);
    }

    /** The full block of one suspect, with what a proof said about it ({@code null}: nothing). */
    public String block(Report.Entry e, long now, ProofMark proof) {
        Suspect s = e.suspect();
        StringBuilder b = new StringBuilder();
        b.append(e.status()).append(' ').append(headline(e, now));
        if (proof != null) {
            for (String l : proof.lines()) {
                line(b, l);
            }
        }
        int sampled = s.states().values().stream().mapToInt(Integer::intValue).sum();
        line(b, "states: " + states(s.states()) + (sampled < s.count() ? " (of " + sampled + " sampled in detail)" : ""));
        if (s.waitsOn() != null) {
            line(b, "waits on: " + s.waitsOn() + (s.owner() != null ? " held by " + s.owner() : ""));
        }
        for (String ev : s.evidence()) {
            line(b, ev);
        }
        CreationSite site = s.site();
        if (site == null && s.rule() == RuleName.CANCEL_IGNORED) {
            line(b, "submit stack: not recorded (stacks=all records it); blamed on the code the task runs");
        } else if (site == null) {
            line(b, "creation stack: unknown (the thread was not seen starting; blamed on the frame it runs)");
        } else {
            creation(b, site);
        }
        List<StackTraceElement[]> shown = new ArrayList<>();
        for (ThreadSnapshot x : s.exemplars()) {
            String head = "exemplar \"" + x.name() + "\" #" + x.id() + " " + x.state() + " (" + x.activity() + ")"
                    + (x.waitsOn() != null ? " on " + x.waitsOn() : "")
                    + (x.task() != null ? ", running task " + x.task().describe() : "");
            if (shown.stream().anyMatch(st -> java.util.Arrays.equals(st, x.stack()))) {
                line(b, head + ": same stack as above");
                continue;
            }
            shown.add(x.stack());
            line(b, head + ":");
            for (String l : StackView.current(x.stack())) {
                line(b, "  " + l);
            }
        }
        return b.toString();
    }

    /** {@code PROVEN}, {@code PARTLY PROVEN}, {@code NOT PROVEN}, with when. */
    public static String verdict(ProofMark proof) {
        return proof.verdict().name().replace('_', ' ') + " by the heap dump of "
                + java.time.Instant.ofEpochMilli(proof.dumpedAtMillis());
    }

    private static void creation(StringBuilder b, CreationSite site) {
        boolean inherited = site.parent() != null;
        line(b, inherited ? "creation stack (no application frame: started by a thread created elsewhere):"
                : "creation stack (>> marks the blamed frame):");
        for (String l : StackView.creation(site)) {
            line(b, "  " + l);
        }
        for (CreationSite p = site.parent(); p != null; p = p.parent()) {
            line(b, "which was started by a thread created at" + (p.parent() == null ? " (>> blamed):" : ":"));
            for (String l : StackView.creation(p)) {
                line(b, "  " + l);
            }
        }
    }

    private static void line(StringBuilder b, String text) {
        b.append(System.lineSeparator()).append("    ").append(text);
    }

    private static String states(Map<String, Integer> states) {
        return states.entrySet().stream().map(x -> x.getValue() + " " + x.getKey()).collect(Collectors.joining(", "));
    }

    private static String plural(int n, String kind) {
        return n + " " + kind + (n == 1 ? "" : "s");
    }
}
