package io.threadleak.core.sample;

import io.threadleak.core.registry.ExecutorRecord;
import io.threadleak.core.site.CreationSite;
import java.util.List;
import java.util.Map;

/**
 * Everything one sampling round saw; the only input of the rules, so rules can be tested on
 * hand-made samples.
 *
 * @param nanos          monotonic time of the sample
 * @param epochMillis    wall-clock time of the sample
 * @param threads        the sampled threads (agent threads excluded)
 * @param liveBySite     live thread count per creation site, including threads not sampled in detail; pool
 *                       workers count with their executor instead
 * @param liveExecutorsBySite executors neither shut down nor collected, per creation site
 * @param deadlocks      cycles of threads waiting on each other, each a list of thread ids
 * @param liveVirtual    live virtual threads, including those not sampled in detail
 * @param mainEndedNanos when {@code main} was first seen ended, or -1 while it runs
 * @param liveTimersBySite {@code java.util.Timer}s whose thread runs (neither cancelled nor reaped), per site
 * @param queuedBySite   tasks waiting in the queues of live executors, per executor creation site
 * @param executors      the live {@code ThreadPoolExecutor}s the JDK lets the agent ask about
 * @param virtualWaits   the untimed waits of the virtual threads not sampled in detail (true {@code STUCK} counts)
 */
public record Sample(
        long nanos,
        long epochMillis,
        List<ThreadSnapshot> threads,
        Map<CreationSite, Integer> liveBySite,
        Map<CreationSite, Integer> liveExecutorsBySite,
        List<List<Long>> deadlocks,
        int liveVirtual,
        long mainEndedNanos,
        Map<CreationSite, Integer> liveTimersBySite,
        Map<CreationSite, Integer> queuedBySite,
        List<ExecutorSnapshot> executors,
        VirtualWaits virtualWaits) {

    /** A sample without undetailed virtual threads. */
    public Sample(long nanos, long epochMillis, List<ThreadSnapshot> threads, Map<CreationSite, Integer> liveBySite,
                  Map<CreationSite, Integer> liveExecutorsBySite, List<List<Long>> deadlocks, int liveVirtual,
                  long mainEndedNanos, Map<CreationSite, Integer> liveTimersBySite,
                  Map<CreationSite, Integer> queuedBySite, List<ExecutorSnapshot> executors) {
        this(nanos, epochMillis, threads, liveBySite, liveExecutorsBySite, deadlocks, liveVirtual, mainEndedNanos,
                liveTimersBySite, queuedBySite, executors, VirtualWaits.NONE);
    }

    /** A sample without executors (tests of thread rules). */
    public Sample(long nanos, long epochMillis, List<ThreadSnapshot> threads, Map<CreationSite, Integer> liveBySite,
                  List<List<Long>> deadlocks, int liveVirtual, long mainEndedNanos) {
        this(nanos, epochMillis, threads, liveBySite, Map.of(), deadlocks, liveVirtual, mainEndedNanos);
    }

    /** A sample without timers and executor details. */
    public Sample(long nanos, long epochMillis, List<ThreadSnapshot> threads, Map<CreationSite, Integer> liveBySite,
                  Map<CreationSite, Integer> liveExecutorsBySite, List<List<Long>> deadlocks, int liveVirtual,
                  long mainEndedNanos) {
        this(nanos, epochMillis, threads, liveBySite, liveExecutorsBySite, deadlocks, liveVirtual, mainEndedNanos,
                Map.of(), Map.of(), List.of());
    }

    /** Whether a thread is a worker of an executor found starving in this sample. */
    public boolean inStarvingExecutor(ThreadSnapshot t) {
        ExecutorRecord pool = null;
        for (ExecutorSnapshot e : executors) {
            if (e.starving()) {
                // the thread's record is read only when some pool starves: with 10,000 threads, reading every
                // thread's record again costs more than the rest of a rule's pass
                if (pool == null) {
                    pool = t.record() == null ? null : t.record().executor();
                    if (pool == null) {
                        return false;
                    }
                }
                if (e.record() == pool) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Live timers. */
    public int liveTimers() {
        int n = 0;
        for (int c : liveTimersBySite.values()) {
            n += c;
        }
        return n;
    }

    /** Executors neither shut down nor collected. */
    public int liveExecutors() {
        int n = 0;
        for (int c : liveExecutorsBySite.values()) {
            n += c;
        }
        return n;
    }

    /** Live threads: every sampled platform thread plus every live virtual thread. */
    public int liveThreads() {
        int platform = 0;
        for (ThreadSnapshot t : threads) {
            if (!t.virtual()) {
                platform++;
            }
        }
        return platform + liveVirtual;
    }
}
