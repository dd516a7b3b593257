package io.threadleak.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.threadleak.core.Clock;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.testutil.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The bookkeeping of threads counted without a record, with a census that lists what the test says is live (a
 * platform thread stands in for a virtual one: the census, not the thread's class, is what is asked).
 */
class UnrecordedVirtualThreadsTest {

    /** An application task class: its key is the one taught below. */
    private static final class Task implements Runnable {
        @Override
        public void run() {
        }
    }

    /** Another task class, whose key never learned a site (as a thread started before the agent). */
    private static final class UnknownTask implements Runnable {
        @Override
        public void run() {
        }
    }

    /** One site for the class: a task class's key learns its site once, and keys live as long as their class. */
    private static final CreationSite SITE = Fixtures.appSite(Fixtures.table(), "com.acme.Server", "handle", 42);

    static {
        StartKey key = StartKey.of(new Task());
        for (int i = 0; i < StartKey.TEACH; i++) {
            key.learn(null, SITE);
        }
    }

    private final ThreadRegistry registry = new ThreadRegistry();
    private final CreationSite site = SITE;
    private final long startedBefore = SITE.started();
    private final long endedBefore = SITE.ended();
    private final Task task = new Task();
    private final List<Thread> live = new ArrayList<>();
    private int listings;
    private final VirtualThreadCensus census = new VirtualThreadCensus() {
        @Override
        public boolean available() {
            return true;
        }

        @Override
        public Object task(Thread virtualThread) {
            return virtualThread.getName().startsWith("unknown") ? new UnknownTask() : task;
        }

        @Override
        public void forEachLive(Consumer<Thread> action) {
            listings++;
            live.forEach(action);
        }
    };
    private final UnrecordedVirtualThreads unrecorded = new UnrecordedVirtualThreads(registry, census, Clock.SYSTEM);

    UnrecordedVirtualThreadsTest() {
        assertSame(site, StartKey.of(task).unwalkedSite());
    }

    private static Thread thread(String name) {
        return new Thread(() -> { }, name); // never started: the census says it is live, the registry believes it
    }

    @Test
    void startsAndEndsWithoutARecordAreCountedAtTheKeysSite() {
        for (int i = 0; i < 3; i++) {
            unrecorded.started(site);
        }
        unrecorded.ended(thread("a"));
        unrecorded.ended(thread("b"));
        unrecorded.ended(thread("unknown")); // started before the agent: counted nowhere

        assertEquals(3, site.started() - startedBefore);
        assertEquals(2, site.ended() - endedBefore);
        assertEquals(2, registry.endedCount());
        assertEquals(0, registry.size());
    }

    @Test
    void theLiveOnesAreRecordedAtTheirSiteWithoutAStarter() {
        unrecorded.started(site);
        unrecorded.started(site);
        Thread alive = thread("alive");
        Thread unknown = thread("unknown");
        live.add(alive);
        live.add(unknown);
        unrecorded.ended(thread("gone"));

        // the census's threads were never started, so they are not alive: nothing is recorded for them
        assertEquals(0, unrecorded.recordLive());
        assertEquals(1, listings);

        ThreadRecord r = unrecorded.record(alive);
        assertNotNull(r);
        assertSame(site, r.site());
        assertEquals(-1, r.creatorId());
        assertNull(r.creatorName());
        assertSame(r, registry.get(ThreadIds.of(alive), true));
        assertNull(unrecorded.record(unknown), "a thread whose key names no site is not one started unrecorded");
        assertEquals(2, site.started() - startedBefore, "a record made later does not count the start again");
    }

    @Test
    void theJdksListIsReadOnlyWhileSomeThreadMayLackARecord() {
        assertEquals(0, unrecorded.recordLive());
        assertEquals(0, listings, "nothing started without a record: no listing");

        unrecorded.started(site);
        unrecorded.recordLive();
        assertEquals(1, listings);
        unrecorded.recordLive();
        assertEquals(2, listings, "still one started, neither ended nor recorded");

        unrecorded.ended(thread("x"));
        int before = listings;
        for (int i = 0; i < 120; i++) {
            unrecorded.recordLive();
        }
        assertEquals(before + 2, listings, "counts balanced: a listing only every 60 passes");
    }
}
