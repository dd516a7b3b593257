package io.threadleak.junit.samples;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Helpers of the sample test classes, which the tests run through EngineTestKit (they are not tests of this module
 * themselves: their names do not end in Test). What the samples leak is kept here so that the tests can end it.
 */
public final class Samples {

    /** The line of the most recent {@link #here()} call: samples call it on the line that creates the leak. */
    public static volatile int line;
    private static final List<Thread> THREADS = new CopyOnWriteArrayList<>();
    private static final List<ExecutorService> POOLS = new CopyOnWriteArrayList<>();
    private static final List<java.util.Timer> TIMERS = new CopyOnWriteArrayList<>();

    private Samples() {
    }

    /** The caller's line number. */
    public static int here() {
        return new Throwable().getStackTrace()[1].getLineNumber();
    }

    /** Parks until the thread is interrupted by {@link #releaseAll}. */
    public static void parkUntilReleased() {
        while (!Thread.currentThread().isInterrupted()) {
            LockSupport.park();
        }
    }

    /** A daemon thread, not started, that parks until released. */
    public static Thread parked(String name) {
        Thread t = new Thread(Samples::parkUntilReleased, name);
        t.setDaemon(true);
        THREADS.add(t);
        return t;
    }

    public static <T extends ExecutorService> T track(T pool) {
        POOLS.add(pool);
        return pool;
    }

    public static java.util.Timer track(java.util.Timer timer) {
        TIMERS.add(timer);
        return timer;
    }

    /** Ends everything the samples leaked. */
    public static void releaseAll() throws InterruptedException {
        for (Thread t : THREADS) {
            t.interrupt();
            t.join(10_000);
        }
        THREADS.clear();
        for (ExecutorService p : POOLS) {
            p.shutdownNow();
            p.awaitTermination(10, TimeUnit.SECONDS);
        }
        POOLS.clear();
        TIMERS.forEach(java.util.Timer::cancel);
        TIMERS.clear();
    }

    /** Parks the current thread for about this long (a task that ends on its own soon). */
    public static void briefly(long millis) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
