package io.threadleak.apptest;

import static io.threadleak.core.testutil.Fixtures.f;
import static io.threadleak.core.testutil.Fixtures.threadStart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.registry.ThreadIds;
import io.threadleak.core.registry.ThreadRecord;
import io.threadleak.core.registry.ThreadRegistry;
import io.threadleak.core.registry.ThreadTracker;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.FramePolicy;
import io.threadleak.core.site.SiteTable;
import io.threadleak.core.site.StackCapture;
import io.threadleak.core.testutil.FakeClock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tracker fed by hand with real, never started threads. This class lives outside {@code io.threadleak.core}
 * on purpose: the agent's own packages are never blamed, and here the test plays the application.
 */
class ThreadTrackerTest {

    private static final String APP = ThreadTrackerTest.class.getPackageName();

    private final FakeClock clock = new FakeClock(5_000_000_000L, 1_700_000_000_000L);
    private final ThreadRegistry registry = new ThreadRegistry();

    private ThreadTracker tracker(List<String> app) {
        return new ThreadTracker(registry, new SiteTable(new FramePolicy(app, List.of()), 100), new StackCapture(32),
                clock);
    }

    private static int nextLine() {
        return new Throwable().getStackTrace()[1].getLineNumber() + 1;
    }

    @Test
    void recordsAStartedThreadOnceWithCreatorAndBlame() {
        ThreadTracker tracker = tracker(List.of(APP));
        Thread t = new Thread(() -> { }, "worker-1");
        t.setDaemon(true);
        int line = nextLine();
        tracker.threadStarting(t);

        ThreadRecord r = registry.get(ThreadIds.of(t));
        assertNotNull(r);
        assertSame(t, r.thread());
        assertEquals("worker-1", r.name());
        assertTrue(r.daemon());
        assertFalse(r.virtual());
        assertEquals(ThreadRecord.Origin.STARTED, r.origin());
        assertEquals(ThreadIds.of(Thread.currentThread()), r.creatorId());
        assertEquals(Thread.currentThread().getName(), r.creatorName());
        assertEquals(1_700_000_000_000L, r.createdAtMillis());
        assertEquals(5_000_000_000L, r.registeredNanos());

        CreationSite site = r.site();
        assertNotNull(site);
        assertEquals(ThreadTrackerTest.class.getName() + ".recordsAStartedThreadOnceWithCreatorAndBlame"
                + "(ThreadTrackerTest.java:" + line + ")", site.blame());
        assertTrue(site.blamesApplication());
        assertFalse(FramePolicy.isAgent(site.frames()[0].getClassName()), "the agent's own frames are dropped");
        assertEquals(0, site.blameIndex(), "the test method called the hook directly");
        assertEquals(1, site.started());

        clock.advance(java.time.Duration.ofSeconds(1));
        tracker.threadStarting(t);
        assertSame(r, registry.get(ThreadIds.of(t)), "idempotent");
        assertEquals(1, registry.size());
        assertEquals(1, site.started());
    }

    @Test
    void threadsStartedFromOneLineShareASite() {
        ThreadTracker tracker = tracker(List.of(APP));
        CreationSite first = null;
        for (int i = 0; i < 3; i++) {
            Thread t = new Thread(() -> { }, "same-" + i);
            tracker.threadStarting(t);
            CreationSite s = registry.get(ThreadIds.of(t)).site();
            if (first == null) {
                first = s;
            }
            assertSame(first, s);
        }
        assertEquals(3, first.started());
        Thread other = new Thread(() -> { }, "other");
        tracker.threadStarting(other);
        assertFalse(first == registry.get(ThreadIds.of(other)).site(), "another line is another site");
    }

    @Test
    void withoutAnAppFrameTheThreadInheritsItsCreatorsBlame() {
        // application packages that the test's own stack does not contain
        ThreadTracker tracker = tracker(List.of("com.acme"));
        SiteTable creatorSites = new SiteTable(new FramePolicy(List.of("com.acme"), List.of()), 10);
        CreationSite creatorSite = creatorSites.intern(StackCapture.of(new StackTraceElement[] {
            threadStart(), f("com.acme.Jobs", "startScheduler", 12), f("com.acme.Main", "main", 4)}), null);
        Thread me = Thread.currentThread();
        registry.add(new ThreadRecord(me, ThreadIds.of(me), me.getName(), false, me.isDaemon(), creatorSite, 1,
                "main", 0, 0, ThreadRecord.Origin.STARTED));

        Thread t = new Thread(() -> { }, "helper");
        tracker.threadStarting(t);
        CreationSite site = registry.get(ThreadIds.of(t)).site();
        assertSame(creatorSite, site.parent());
        assertEquals("com.acme.Jobs.startScheduler(Jobs.java:12)", site.blame());
        assertTrue(site.blamesApplication());
        assertEquals(-1, site.blameIndex());
        assertEquals(ThreadTrackerTest.class.getName(), site.frames()[0].getClassName(),
                "its own creation stack is still kept");
    }

    @Test
    void withoutAnyAppFrameOrCreatorTheFirstNonJdkFrameIsAFallback() {
        ThreadTracker tracker = tracker(List.of("com.acme"));
        Thread t = new Thread(() -> { }, "orphan");
        tracker.threadStarting(t);
        CreationSite site = registry.get(ThreadIds.of(t)).site();
        assertNull(site.parent());
        assertFalse(site.blamesApplication());
        assertTrue(site.blame().startsWith(ThreadTrackerTest.class.getName() + "."), site.blame());
    }

    @Test
    void exitEndsTheRecordAndCountsPerSite() {
        ThreadTracker tracker = tracker(List.of(APP));
        Thread a = new Thread(() -> { }, "a");
        Thread b = new Thread(() -> { }, "b");
        tracker.threadStarting(a);
        tracker.threadStarting(b);
        CreationSite site = registry.get(ThreadIds.of(a)).site();
        assertEquals(2, registry.size());

        tracker.threadExiting(a);
        assertNull(registry.get(ThreadIds.of(a)));
        assertEquals(1, registry.size());
        assertEquals(1, registry.endedCount());
        assertEquals(1, site.ended());

        tracker.threadExiting(a);
        assertEquals(1, registry.endedCount(), "an exit is counted once");
        assertEquals(1, site.ended());

        tracker.threadExiting(new Thread(() -> { }, "never-tracked"));
        assertEquals(1, registry.endedCount());
    }

    @Test
    void withStacksOffThreadsAreRecordedWithoutSite() {
        ThreadTracker tracker = new ThreadTracker(registry, new SiteTable(new FramePolicy(List.of(APP), List.of()), 10),
                null, clock);
        Thread t = new Thread(() -> { }, "no-stack");
        tracker.threadStarting(t);
        ThreadRecord r = registry.get(ThreadIds.of(t));
        assertNotNull(r);
        assertNull(r.site());
        tracker.threadExiting(t);
        assertEquals(1, registry.endedCount());
    }

    @Test
    void theAgentsOwnThreadsAreNeverRecorded() {
        ThreadTracker tracker = tracker(List.of(APP));
        Thread own = new Thread(() -> { }, "threadleak-sampler");
        registry.markOwn(ThreadIds.of(own));
        tracker.threadStarting(own);
        assertEquals(0, registry.size());
        assertTrue(registry.isOwn(ThreadIds.of(own)));
    }

    @Test
    void forgetRemovesWithoutCountingAnEnd() {
        ThreadTracker tracker = tracker(List.of(APP));
        Thread t = new Thread(() -> { }, "failed-start");
        tracker.threadStarting(t);
        ThreadRecord r = registry.get(ThreadIds.of(t));
        registry.forget(r);
        assertEquals(0, registry.size());
        assertEquals(0, registry.endedCount());
        assertEquals(0, r.site().ended());
        assertFalse(registry.end(r), "ending a forgotten record does nothing");
        assertEquals(0, registry.endedCount());
    }
}
