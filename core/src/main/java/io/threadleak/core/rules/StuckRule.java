package io.threadleak.core.rules;

import io.threadleak.core.sample.Activity;
import io.threadleak.core.sample.Sample;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.sample.WaitTarget;
import io.threadleak.core.site.FramePolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code STUCK}: a thread has been waiting or blocked on the same object, with the same stack, for at least
 * {@code stuckAfter}, and (where the JVM counts it) has not woken up in between. Idle pool workers, sleeping
 * threads, threads in a deadlock (reported by {@link DeadlockRule}) and workers of a starving pool (reported by
 * {@link StarvedRule}) are never stuck. A stuck pool worker is reported as its task, with the cause chain: the
 * task, who submitted it from which task, and the future it waits for.
 * Stuck threads are grouped by creation site.
 *
 * <p>Waking up is not being stuck: a platform thread whose wait count moved between two samples woke up (a timed
 * poll or park in a loop). Virtual threads have no wait count; a change of state, blocker or stack between samples
 * is their evidence of waking, and a virtual thread in a timed wait is never stuck: it wakes by itself at its
 * deadline, and the agent cannot tell one long timed wait from many short ones. Virtual threads beyond the
 * sampler's per-site detail cap count too (by state and blocker, without stacks), so counts are true counts.
 */
public final class StuckRule implements Rule {

    private final long stuckAfterNanos;
    private final int exemplars;
    private final FramePolicy policy;
    private final Map<Long, Wait> waits = new HashMap<>();
    /** This rule's sample count: a wait not seen in the current round is over. */
    private long round;

    public StuckRule(long stuckAfterNanos, int exemplars, FramePolicy policy) {
        this.stuckAfterNanos = stuckAfterNanos;
        this.exemplars = exemplars;
        this.policy = policy;
    }

    /** One uninterrupted wait of one thread, and the round that last saw it. */
    private static final class Wait {
        final Activity activity;
        final Thread.State state;
        final WaitTarget target;
        final int stackHash;
        final long waitCount;
        final long sinceNanos;
        long round;

        Wait(Activity activity, Thread.State state, WaitTarget target, int stackHash, long waitCount, long sinceNanos,
             long round) {
            this.activity = activity;
            this.state = state;
            this.target = target;
            this.stackHash = stackHash;
            this.waitCount = waitCount;
            this.sinceNanos = sinceNanos;
            this.round = round;
        }

        boolean same(Activity a, Thread.State st, WaitTarget t, int hash, long count) {
            return activity == a && state == st && Objects.equals(target, t) && stackHash == hash && waitCount == count;
        }
    }

    @Override
    public List<Suspect> evaluate(Sample sample) {
        round++;
        Set<Long> inDeadlock = new HashSet<>();
        sample.deadlocks().forEach(inDeadlock::addAll);
        // threads the sampler does not follow, parked at one place, share one (interned) stack array: hash each
        // array once a sample, not each thread's
        Map<StackTraceElement[], Integer> stackHashes = new IdentityHashMap<>();
        Map<String, List<ThreadSnapshot>> stuck = new LinkedHashMap<>();
        for (ThreadSnapshot s : sample.threads()) {
            if (s.exempt() || (!inDeadlock.isEmpty() && inDeadlock.contains(s.id())) || sample.inStarvingExecutor(s)
                    || (s.activity() != Activity.WAITING && s.activity() != Activity.BLOCKED)
                    || (s.virtual() && s.state() == Thread.State.TIMED_WAITING)) {
                continue;
            }
            long since = s.unchangedSinceNanos();
            if (since < 0) {
                since = followed(s, stackHashes, sample.nanos());
            }
            if (since >= 0 && sample.nanos() - since >= stuckAfterNanos) {
                stuck.computeIfAbsent(Blames.groupKey(s, policy), k -> new ArrayList<>()).add(s);
            }
        }
        waits.values().removeIf(w -> w.round != round);
        List<Suspect> out = new ArrayList<>();
        for (Map.Entry<String, List<ThreadSnapshot>> e : stuck.entrySet()) {
            out.add(suspect(e.getKey(), e.getValue(), undetailed(sample, e.getValue().get(0))));
        }
        return out;
    }

    /**
     * Since when a thread the sampler does not follow (a virtual thread, a hand-made snapshot) has waited as it does
     * now, as this rule saw it; -1 when its wait begins in this sample. The sampler follows platform threads and
     * says since when they waited unchanged, so 10,000 parked threads cost this rule no map entry each.
     */
    private long followed(ThreadSnapshot s, Map<StackTraceElement[], Integer> stackHashes, long now) {
        int stackHash = stackHashes.computeIfAbsent(s.stack(), Arrays::hashCode);
        Wait before = waits.get(s.id());
        if (before == null || !before.same(s.activity(), s.state(), s.waitsOn(), stackHash, s.waitCount())) {
            waits.put(s.id(), new Wait(s.activity(), s.state(), s.waitsOn(), stackHash, s.waitCount(), now, round));
            return -1;
        }
        before.round = round;
        return before.sinceNanos;
    }

    /** Since when a thread found stuck in this sample has waited. */
    private long since(ThreadSnapshot s) {
        return s.unchangedSinceNanos() >= 0 ? s.unchangedSinceNanos() : waits.get(s.id()).sinceNanos;
    }

    /** Virtual threads of the same site beyond the detail cap that have waited unchanged as long. */
    private int undetailed(Sample sample, ThreadSnapshot first) {
        if (!first.virtual() || first.site() == null) {
            return 0;
        }
        return sample.virtualWaits().waitingSince(first.site(), sample.nanos() - stuckAfterNanos);
    }

    private Suspect suspect(String group, List<ThreadSnapshot> threads, int undetailed) {
        threads.sort(Comparator.comparingLong(this::since));
        ThreadSnapshot first = threads.get(0);
        long since = since(first);
        String owner = first.ownerName() == null ? null : Blames.describe(first.ownerName(), first.ownerId());
        List<String> evidence = new ArrayList<>();
        int count = threads.size() + undetailed;
        evidence.add(count == 1 ? "1 thread waits without progress" : count + " threads wait without progress");
        if (undetailed > 0) {
            evidence.add(undetailed + " of them virtual threads beyond the detail cap, counted by state and blocker "
                    + "(parked untimed on the same object for as long), without their stacks");
        }
        if (Blames.workerOf(first) != null) {
            evidence.add(Blames.workerOf(first));
        }
        evidence.addAll(Blames.chain(first));
        String kind = first.task() != null ? "task" : "thread";
        return new Suspect("STUCK " + group, RuleName.STUCK, kind, Blames.site(first), Blames.blame(first, policy),
                count, Blames.states(threads), first.waitsOn(), owner, since,
                threads.subList(0, Math.min(exemplars, threads.size())), evidence);
    }
}
