package io.threadleak.core.rules;

import io.threadleak.core.sample.Sample;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.site.FramePolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code DEADLOCK}: a cycle of threads each waiting for a monitor or lock held by the next, as found by
 * {@code ThreadMXBean.findDeadlockedThreads()}. Reported at once; one suspect per cycle.
 */
public final class DeadlockRule implements Rule {

    private final FramePolicy policy;
    private Map<String, Long> firstSeen = new HashMap<>();

    public DeadlockRule(FramePolicy policy) {
        this.policy = policy;
    }

    @Override
    public List<Suspect> evaluate(Sample sample) {
        if (sample.deadlocks().isEmpty()) {
            firstSeen = Map.of();
            return List.of();
        }
        Map<Long, ThreadSnapshot> byId = new HashMap<>();
        for (ThreadSnapshot s : sample.threads()) {
            byId.put(s.id(), s);
        }
        Map<String, Long> seen = new HashMap<>();
        List<Suspect> out = new ArrayList<>();
        for (List<Long> cycle : sample.deadlocks()) {
            List<ThreadSnapshot> threads = new ArrayList<>();
            for (long id : cycle) {
                ThreadSnapshot s = byId.get(id);
                if (s != null) {
                    threads.add(s);
                }
            }
            if (threads.isEmpty()) {
                continue;
            }
            String key = "DEADLOCK " + cycle;
            long since = firstSeen.getOrDefault(key, sample.nanos());
            seen.put(key, since);
            out.add(suspect(key, threads, since));
        }
        firstSeen = seen;
        return out;
    }

    private Suspect suspect(String key, List<ThreadSnapshot> cycle, long since) {
        List<String> evidence = new ArrayList<>();
        for (ThreadSnapshot s : cycle) {
            evidence.add(Blames.describe(s.name(), s.id()) + " (created at " + Blames.blame(s, policy)
                    + ") waits for " + s.waitsOn() + " held by " + Blames.describe(s.ownerName(), s.ownerId()));
        }
        ThreadSnapshot first = cycle.get(0);
        return new Suspect(key, RuleName.DEADLOCK, "thread", Blames.site(first), Blames.blame(first, policy), cycle.size(),
                Blames.states(cycle), first.waitsOn(), Blames.describe(first.ownerName(), first.ownerId()), since,
                cycle, evidence);
    }
}
