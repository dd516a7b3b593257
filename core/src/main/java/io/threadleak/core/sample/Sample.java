package io.threadleak.core.sample;

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
 */
public record Sample(
        long nanos,
        long epochMillis,
        List<ThreadSnapshot> threads,
        Map<CreationSite, Integer> liveBySite,
        Map<CreationSite, Integer> liveExecutorsBySite,
        List<List<Long>> deadlocks,
        int liveVirtual,
        long mainEndedNanos) {

    /** A sample without executors (tests of thread rules). */
    public Sample(long nanos, long epochMillis, List<ThreadSnapshot> threads, Map<CreationSite, Integer> liveBySite,
                  List<List<Long>> deadlocks, int liveVirtual, long mainEndedNanos) {
        this(nanos, epochMillis, threads, liveBySite, Map.of(), deadlocks, liveVirtual, mainEndedNanos);
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
