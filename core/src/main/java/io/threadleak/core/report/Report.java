package io.threadleak.core.report;

import io.threadleak.core.proof.ProofMark;
import io.threadleak.core.rules.Suspect;
import io.threadleak.core.site.CreationSite;
import java.util.List;
import java.util.Map;

/**
 * One report: a summary and the suspects with how they changed.
 *
 * @param epochMillis  when it was made
 * @param nanos        the sample's monotonic time (ages are measured against it)
 * @param last         the final report, made at JVM shutdown
 * @param summary      counts
 * @param suspects     the suspects that hold now
 * @param resolvedNow  suspects reported before that no longer hold
 * @param resolvedAll  every suspect resolved since the agent loaded (most recent last, capped)
 * @param suppressed   findings a suppression rule silenced in the latest sample, with the rule and reason
 * @param unusedSuppressions in the final report, the user's suppression rules that never matched; else empty
 * @param trends       each creation site's counts over the run ({@link Trends.View#EMPTY} when not kept)
 * @param proofs       what a heap-dump proof said about suspects, by suspect key (docs/proven.md); empty when none
 */
public record Report(
        long epochMillis,
        long nanos,
        boolean last,
        Summary summary,
        List<Entry> suspects,
        List<Entry> resolvedNow,
        List<Entry> resolvedAll,
        List<Suppressed> suppressed,
        List<String> unusedSuppressions,
        Trends.View trends,
        Map<String, ProofMark> proofs) {

    public Report {
        suppressed = List.copyOf(suppressed);
        unusedSuppressions = List.copyOf(unusedSuppressions);
        trends = trends == null ? Trends.View.EMPTY : trends;
        proofs = proofs == null ? Map.of() : Map.copyOf(proofs);
    }

    /** A report without proofs. */
    public Report(long epochMillis, long nanos, boolean last, Summary summary, List<Entry> suspects,
                  List<Entry> resolvedNow, List<Entry> resolvedAll, List<Suppressed> suppressed,
                  List<String> unusedSuppressions, Trends.View trends) {
        this(epochMillis, nanos, last, summary, suspects, resolvedNow, resolvedAll, suppressed, unusedSuppressions,
                trends, Map.of());
    }

    /** A report without trends. */
    public Report(long epochMillis, long nanos, boolean last, Summary summary, List<Entry> suspects,
                  List<Entry> resolvedNow, List<Entry> resolvedAll, List<Suppressed> suppressed,
                  List<String> unusedSuppressions) {
        this(epochMillis, nanos, last, summary, suspects, resolvedNow, resolvedAll, suppressed, unusedSuppressions,
                Trends.View.EMPTY);
    }

    /** A report without suppressions. */
    public Report(long epochMillis, long nanos, boolean last, Summary summary, List<Entry> suspects,
                  List<Entry> resolvedNow, List<Entry> resolvedAll) {
        this(epochMillis, nanos, last, summary, suspects, resolvedNow, resolvedAll, List.of(), List.of());
    }

    /** This report with the suppressed findings and unused rules. */
    public Report withSuppressed(List<Suppressed> newSuppressed, List<String> unused) {
        return new Report(epochMillis, nanos, last, summary, suspects, resolvedNow, resolvedAll, newSuppressed, unused,
                trends, proofs);
    }

    /** This report with the trends. */
    public Report withTrends(Trends.View newTrends) {
        return new Report(epochMillis, nanos, last, summary, suspects, resolvedNow, resolvedAll, suppressed,
                unusedSuppressions, newTrends, proofs);
    }

    /** This report with what proofs said about its suspects. */
    public Report withProofs(Map<String, ProofMark> newProofs) {
        return new Report(epochMillis, nanos, last, summary, suspects, resolvedNow, resolvedAll, suppressed,
                unusedSuppressions, trends, newProofs);
    }

    /** What a proof said about this suspect, or {@code null}. */
    public ProofMark proof(Suspect s) {
        return proofs.get(s.key());
    }

    /**
     * A finding a suppression rule silenced.
     *
     * @param suspect the finding
     * @param source  where the rule is written ({@code suppress.txt:3}, {@code built-in:5}, {@code provider ...})
     * @param rule    the rule as written
     * @param reason  the rule's reason
     */
    public record Suppressed(Suspect suspect, String source, String rule, String reason) {
    }

    /** A suspect and its change. {@code reportedCount} is the count last reported (0 when new). */
    public record Entry(Suspect suspect, Status status, int reportedCount, long resolvedAtMillis) {
    }

    /**
     * @param liveThreads    live threads sampled (platform threads plus tracked virtual threads)
     * @param trackedThreads live threads with a known creation site
     * @param sites          creation sites with live threads
     * @param endedThreads   tracked threads that ended since the agent loaded
     * @param hookFailures   hook calls that failed (and were swallowed)
     * @param liveExecutors  executors created by the application, neither shut down nor collected
     * @param liveTimers     timers created by the application, neither cancelled nor reaped
     * @param unclosed       in the final report: executors and timers the application created and never shut
     *                       down or cancelled, per creation site; empty otherwise
     */
    public record Summary(int liveThreads, int trackedThreads, int sites, long endedThreads, long hookFailures,
                          int liveExecutors, int liveTimers, List<Unclosed> unclosed) {

        public Summary {
            unclosed = List.copyOf(unclosed);
        }

        /** A summary without executors. */
        public Summary(int liveThreads, int trackedThreads, int sites, long endedThreads, long hookFailures) {
            this(liveThreads, trackedThreads, sites, endedThreads, hookFailures, 0);
        }

        /** A summary without timers. */
        public Summary(int liveThreads, int trackedThreads, int sites, long endedThreads, long hookFailures,
                       int liveExecutors) {
            this(liveThreads, trackedThreads, sites, endedThreads, hookFailures, liveExecutors, 0, List.of());
        }
    }

    /**
     * Executors or timers from one creation site still running at shutdown.
     *
     * @param kind  {@code executor} or {@code timer}
     * @param site  the creation site
     * @param count how many
     */
    public record Unclosed(String kind, CreationSite site, int count) {
    }

    /** Entries of the suspects that are new or grown. */
    public List<Entry> changed() {
        return suspects.stream().filter(e -> e.status() == Status.NEW || e.status() == Status.GROWN).toList();
    }
}
