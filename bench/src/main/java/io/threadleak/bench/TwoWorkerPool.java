package io.threadleak.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The state the task benchmarks share: a fixed {@link ThreadPoolExecutor} of {@value #WORKERS} workers, created
 * and started in setup, so that thread creation is not measured, and shut down after the trial.
 */
public abstract class TwoWorkerPool {

    static final int WORKERS = 2;

    protected ThreadPoolExecutor pool;

    @Setup(Level.Trial)
    public void startPool() {
        pool = new ThreadPoolExecutor(WORKERS, WORKERS, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
        pool.prestartAllCoreThreads();
    }

    @TearDown(Level.Trial)
    public void stopPool() throws InterruptedException {
        shutdown(pool);
    }

    static void shutdown(ExecutorService pool) throws InterruptedException {
        if (pool == null) {
            return;
        }
        pool.shutdown();
        if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
            pool.shutdownNow();
        }
    }
}
