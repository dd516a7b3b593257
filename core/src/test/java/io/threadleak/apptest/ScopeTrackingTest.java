package io.threadleak.apptest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.bootstrap.ThreadScope;
import io.threadleak.core.registry.ExecutorRegistry;
import io.threadleak.core.registry.ExecutorTracker;
import io.threadleak.core.registry.ScopeTracker;
import io.threadleak.core.registry.ThreadIds;
import io.threadleak.core.registry.ThreadRegistry;
import io.threadleak.core.registry.ThreadTracker;
import io.threadleak.core.site.FramePolicy;
import io.threadleak.core.site.SiteTable;
import io.threadleak.core.site.StackCapture;
import io.threadleak.core.testutil.FakeClock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Scopes fed by hand, as the agent's hooks would: which scope threads, their children, executors and pool workers
 * belong to, and the rows {@code leftovers} answers.
 */
class ScopeTrackingTest {

    private static final String APP = ScopeTrackingTest.class.getPackageName();

    private final FakeClock clock = new FakeClock(5_000_000_000L, 1_700_000_000_000L);
    private final ThreadRegistry threads = new ThreadRegistry();
    private final ExecutorRegistry executors = new ExecutorRegistry();
    private final SiteTable sites = new SiteTable(new FramePolicy(List.of(APP), List.of()), 100);
    private final ThreadTracker threadTracker = new ThreadTracker(threads, sites, new StackCapture(32), clock);
    private final ExecutorTracker executorTracker = new ExecutorTracker(executors, threads, sites,
            new StackCapture(32), clock);
    private final ScopeTracker scopes = new ScopeTracker(threads, executors);
    private final CountDownLatch release = new CountDownLatch(1);

    private Thread parked(String name) {
        Thread t = new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts a thread as the agent's thread-start hook would see it, in {@code scope} (or none). */
    private Thread start(Thread t, Object scope) {
        threadTracker.threadStarting(t);
        scopes.threadScoped(t, scope);
        t.start();
        return t;
    }

    @Test
    void aThreadStartedInAScopeIsALeftoverWithItsCreationSiteUntilItEnds() throws Exception {
        ThreadScope scope = new ThreadScope("request-1");
        Thread outside = start(parked("outside"), null);
        Thread leaked = start(parked("leaked"), scope);
        try {
            Object[] rows = scopes.leftovers(scope);
            assertEquals(1, rows.length);
            Object[] row = (Object[]) rows[0];
            assertEquals("thread", row[0]);
            assertEquals("leaked", row[1]);
            assertTrue(((String) row[3]).startsWith(ScopeTrackingTest.class.getName() + ".start("), (String) row[3]);
            assertSame(leaked, ((Thread[]) row[6])[0]);
            assertEquals(Boolean.TRUE, row[7]);
            assertTrue(((StackTraceElement[]) row[4]).length > 0);
            assertEquals(0, scopes.leftovers(new ThreadScope("other")).length);
        } finally {
            release.countDown();
            leaked.join();
            outside.join();
        }
        assertEquals(0, scopes.leftovers(scope).length, "an ended thread is no leftover");
    }

    @Test
    void aThreadStartedByAThreadOfTheScopeInheritsIt() throws Exception {
        ThreadScope scope = new ThreadScope("test");
        Thread child = parked("child");
        Thread parent = new Thread(() -> start(child, null), "parent");
        start(parent, scope);
        parent.join();
        try {
            assertSame(scope, threads.get(ThreadIds.of(child)).scope());
            assertEquals(1, scopes.leftovers(scope).length);
        } finally {
            release.countDown();
            child.join();
        }
    }

    @Test
    void anExecutorOfTheScopeIsALeftoverUntilItTerminatesAndItsWorkersTakeItsScope() throws Exception {
        ThreadScope scope = new ThreadScope("test");
        ThreadScope other = new ThreadScope("other test");
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        executorTracker.executorCreated(pool);
        scopes.executorScoped(pool, scope);
        ThreadPoolExecutor shared = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        executorTracker.executorCreated(shared);
        scopes.executorScoped(shared, null);
        assertNull(executors.get(shared).scope());

        // workers started by a thread of another scope, entering their pools' run loops
        Thread worker = new Thread(() -> {
            executorTracker.workerRunning(pool);
            scopes.workerRunning(pool);
        }, "worker");
        Thread sharedWorker = new Thread(() -> {
            executorTracker.workerRunning(shared);
            scopes.workerRunning(shared);
        }, "shared-worker");
        start(worker, other).join();
        start(sharedWorker, other).join();
        assertSame(scope, threads.get(ThreadIds.of(worker)).scope(), "a worker belongs to its pool's scope");
        assertNull(threads.get(ThreadIds.of(sharedWorker)).scope(), "a shared pool's worker belongs to no scope");

        Object[] rows = scopes.leftovers(scope);
        assertEquals(1, rows.length);
        Object[] row = (Object[]) rows[0];
        assertEquals("executor", row[0]);
        assertEquals("RUNNING, 0 workers", row[2]);
        assertEquals(Boolean.FALSE, row[7], "a pool never shut down will not end on its own");
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(0, scopes.leftovers(scope).length, "a terminated pool is no leftover");
        shared.shutdown();
    }
}
