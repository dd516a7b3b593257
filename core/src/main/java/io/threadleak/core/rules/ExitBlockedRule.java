package io.threadleak.core.rules;

import io.threadleak.core.sample.Sample;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.site.FramePolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code EXIT_BLOCKED}: {@code main} returned at least {@code exitAfter} ago and non-daemon threads still keep
 * the JVM alive. One suspect per creation site of such threads.
 */
public final class ExitBlockedRule implements Rule {

    private final long exitAfterNanos;
    private final int exemplars;
    private final FramePolicy policy;

    public ExitBlockedRule(long exitAfterNanos, int exemplars, FramePolicy policy) {
        this.exitAfterNanos = exitAfterNanos;
        this.exemplars = exemplars;
        this.policy = policy;
    }

    @Override
    public List<Suspect> evaluate(Sample sample) {
        if (sample.mainEndedNanos() < 0 || sample.nanos() - sample.mainEndedNanos() < exitAfterNanos) {
            return List.of();
        }
        Map<String, List<ThreadSnapshot>> groups = new LinkedHashMap<>();
        for (ThreadSnapshot s : sample.threads()) {
            if (!s.daemon() && !s.exempt() && !s.virtual()) {
                groups.computeIfAbsent(Blames.groupKey(s, policy), k -> new ArrayList<>()).add(s);
            }
        }
        List<Suspect> out = new ArrayList<>();
        long agoMillis = (sample.nanos() - sample.mainEndedNanos()) / 1_000_000;
        for (Map.Entry<String, List<ThreadSnapshot>> e : groups.entrySet()) {
            List<ThreadSnapshot> threads = e.getValue();
            ThreadSnapshot first = threads.get(0);
            out.add(new Suspect("EXIT_BLOCKED " + e.getKey(), RuleName.EXIT_BLOCKED, "thread", Blames.site(first),
                    Blames.blame(first, policy), threads.size(), Blames.states(threads), first.waitsOn(), null,
                    sample.mainEndedNanos(), threads.subList(0, Math.min(exemplars, threads.size())),
                    evidence(first, agoMillis)));
        }
        return out;
    }

    private static List<String> evidence(ThreadSnapshot first, long agoMillis) {
        List<String> lines = new ArrayList<>();
        lines.add("main returned " + agoMillis + " ms ago; non-daemon threads from here keep the JVM alive");
        if (Blames.workerOf(first) != null) {
            lines.add(Blames.workerOf(first) + ": shut it down when done");
        }
        return lines;
    }
}
