package io.threadleak.apptest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.registry.ExecutorRecord;
import io.threadleak.core.registry.ExecutorRegistry;
import io.threadleak.core.registry.ExecutorTracker;
import io.threadleak.core.registry.ThreadIds;
import io.threadleak.core.registry.ThreadRecord;
import io.threadleak.core.registry.ThreadRegistry;
import io.threadleak.core.sample.Sample;
import io.threadleak.core.sample.Sampler;
import io.threadleak.core.site.FramePolicy;
import io.threadleak.core.site.SiteTable;
import io.threadleak.core.site.StackCapture;
import io.threadleak.core.testutil.FakeClock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Executor records fed by hand, as the agent's hooks would: constructions, worker links, and what the sampler
 * makes of live, shut down and terminated executors. Outside {@code io.threadleak.core}: the test plays the
 * application, whose frames are blamed.
 */
class ExecutorTrackingTest {

    private static final String APP = ExecutorTrackingTest.class.getPackageName();

    private final FakeClock clock = new FakeClock(5_000_000_000L, 1_700_000_000_000L);
    private final ThreadRegistry threads = new ThreadRegistry();
    private final ExecutorRegistry executors = new ExecutorRegistry();
    private final ExecutorTracker tracker = new ExecutorTracker(executors, threads,
            new SiteTable(new FramePolicy(List.of(APP), List.of()), 100), new StackCapture(32), clock);

    private static int nextLine() {
        return new Throwable().getStackTrace()[1].getLineNumber() + 1;
    }

    @Test
    void anExecutorIsRecordedOnceAndBlamedWhereItWasCreated() {
        Object executor = new Object();
        int line = nextLine();
        tracker.executorCreated(executor);
        tracker.executorCreated(executor); // a delegating constructor returns twice

        assertEquals(1, executors.size());
        ExecutorRecord r = executors.get(executor);
        assertNotNull(r);
        assertEquals(ExecutorRecord.Origin.CREATED, r.origin());
        assertEquals("java.lang.Object", r.kind());
        assertEquals(ExecutorTrackingTest.class.getName() + ".anExecutorIsRecordedOnceAndBlamedWhereItWasCreated("
                + "ExecutorTrackingTest.java:" + line + ")", r.site().blame());
    }

    @Test
    void executorsAreKeptByIdentityNotEquality() {
        List<String> a = new java.util.ArrayList<>();
        List<String> b = new java.util.ArrayList<>();
        tracker.executorCreated(a);
        tracker.executorCreated(b);
        assertEquals(2, executors.size());
        assertSame(executors.get(a), executors.get(a));
        assertTrue(executors.get(a) != executors.get(b));
    }

    @Test
    void aWorkerIsLinkedToItsExecutor() {
        Object executor = new Object();
        tracker.executorCreated(executor);
        Thread me = Thread.currentThread();
        ThreadRecord worker = new ThreadRecord(me, ThreadIds.of(me), me.getName(), false, false, null, -1, null, 0, 0,
                ThreadRecord.Origin.STARTED);
        threads.add(worker);

        tracker.workerRunning(executor);

        assertSame(executors.get(executor), worker.executor());
    }

    @Test
    void aWorkerOfAnUnknownExecutorMakesAPreexistingRecord() {
        Object executor = new Object();
        tracker.workerRunning(executor);
        ExecutorRecord r = executors.get(executor);
        assertNotNull(r);
        assertEquals(ExecutorRecord.Origin.PREEXISTING, r.origin());
        assertNull(r.site());
    }

    @Test
    void onlyRunningExecutorsCountAndTerminatedOnesAreDropped() throws InterruptedException {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        tracker.executorCreated(pool);
        Sampler sampler = new Sampler(threads, executors, clock, List.of(), Thread.currentThread());

        Sample running = sampler.sample();
        assertEquals(1, running.liveExecutors());
        assertEquals(executors.get(pool).site(), running.liveExecutorsBySite().keySet().iterator().next());

        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        Sample terminated = sampler.sample();
        assertEquals(0, terminated.liveExecutors());
        assertNull(executors.get(pool));
        assertEquals(1, executors.endedCount());
    }

    @Test
    void aShutDownExecutorStillFinishingItsWorkDoesNotCount() throws InterruptedException {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        pool.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        tracker.executorCreated(pool);
        pool.shutdown();
        try {
            Sample s = new Sampler(threads, executors, clock, List.of(), Thread.currentThread()).sample();
            assertEquals(0, s.liveExecutors());
            assertNotNull(executors.get(pool), "not terminated yet: still known");
        } finally {
            release.countDown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void workersCountWithTheirExecutorNotWithTheirOwnSite() throws InterruptedException {
        io.threadleak.core.registry.ThreadTracker threadTracker = new io.threadleak.core.registry.ThreadTracker(
                threads, new SiteTable(new FramePolicy(List.of(APP), List.of()), 100), new StackCapture(32), clock);
        java.util.concurrent.CountDownLatch linked = new java.util.concurrent.CountDownLatch(1);
        ThreadPoolExecutor[] pool = new ThreadPoolExecutor[1];
        pool[0] = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread t = new Thread(() -> {
                tracker.workerRunning(pool[0]); // what the hook in runWorker does
                linked.countDown();
                task.run();
            });
            t.setDaemon(true);
            threadTracker.threadStarting(t); // what the hook in Thread.start does
            return t;
        });
        tracker.executorCreated(pool[0]);
        pool[0].prestartCoreThread();
        try {
            assertTrue(linked.await(10, TimeUnit.SECONDS));
            Sample s = new Sampler(threads, executors, clock, List.of(), Thread.currentThread()).sample();
            assertEquals(Map.of(executors.get(pool[0]).site(), 1), s.liveExecutorsBySite());
            assertEquals(Map.of(), s.liveBySite(), "a worker counts with its executor");
        } finally {
            pool[0].shutdownNow();
            assertTrue(pool[0].awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}
