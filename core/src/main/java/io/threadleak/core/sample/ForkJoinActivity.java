package io.threadleak.core.sample;

import io.threadleak.core.registry.ExecutorRecord;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/**
 * What the {@code ForkJoinPool}s are doing, for a future no {@code ThreadPoolExecutor} queue holds the task of. A
 * {@code CompletableFuture} async stage ({@code supplyAsync}, {@code thenApplyAsync}...) runs in a fork-join pool,
 * the common pool by default; the JDK offers no way to look into a fork-join queue without taking tasks out of it,
 * so the agent cannot say which queued or running fork-join task completes a given future. It can say whether any
 * could: a pool with queued or running tasks may complete it ("unknown"), while when every pool is quiescent
 * nothing queued or running does (checked).
 *
 * <p>Only the JDK's own {@code ForkJoinPool} class is asked (a subclass could override the getters and run
 * application code).
 */
final class ForkJoinActivity {

    private ForkJoinActivity() {
    }

    /**
     * "common pool: 2 running, 5 queued; ForkJoinPool#4 created at ...: 1 running", or {@code null} when every
     * fork-join pool (the common pool and the tracked ones) is quiescent.
     */
    static String busyPools(Iterable<ExecutorRecord> executors) {
        List<String> busy = new ArrayList<>();
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        ForkJoinPool common = ForkJoinPool.commonPool();
        seen.put(common, true);
        add(busy, "the common pool", common);
        for (ExecutorRecord r : executors) {
            Object e = r.executor();
            if (e instanceof ForkJoinPool && seen.put(e, true) == null) {
                add(busy, r.toString(), (ForkJoinPool) e);
            }
        }
        return busy.isEmpty() ? null : String.join("; ", busy);
    }

    private static void add(List<String> busy, String name, ForkJoinPool pool) {
        if (pool.getClass() != ForkJoinPool.class) {
            busy.add(name + ": not looked into (a subclass)");
            return;
        }
        int active = pool.getActiveThreadCount();
        long queued = pool.getQueuedSubmissionCount() + pool.getQueuedTaskCount();
        if (active > 0 || queued > 0) {
            busy.add(name + ": " + active + " running, " + queued + " queued");
        }
    }
}
