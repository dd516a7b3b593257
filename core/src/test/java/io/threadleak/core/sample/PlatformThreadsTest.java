package io.threadleak.core.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.registry.ThreadIds;
import io.threadleak.core.registry.ThreadRecord;
import io.threadleak.core.registry.ThreadRegistry;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The platform-thread reader on real threads of this JVM: what it reads again, and what it leaves alone. */
class PlatformThreadsTest {

    private final ThreadRegistry registry = new ThreadRegistry();
    private final PlatformThreads reader = new PlatformThreads(registry, ManagementFactory.getThreadMXBean());
    private final List<Thread> started = new ArrayList<>();
    private final CountDownLatch end = new CountDownLatch(1);

    @AfterEach
    void release() throws InterruptedException {
        end.countDown();
        for (Thread t : started) {
            t.interrupt();
            t.join(5_000);
        }
    }

    private Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        registry.add(new ThreadRecord(t, ThreadIds.of(t), name, false, true, null, -1, null, 0, 0,
                ThreadRecord.Origin.STARTED));
        started.add(t);
        t.start();
        return t;
    }

    private static void awaitState(Thread t, Thread.State... states) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Arrays.asList(states).contains(t.getState())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(t.getName() + " is " + t.getState());
            }
            Thread.onSpinWait();
        }
    }

    private ThreadWatch watchOf(List<ThreadWatch> live, Thread t) {
        for (ThreadWatch w : live) {
            if (w.id == ThreadIds.of(t)) {
                return w;
            }
        }
        throw new AssertionError(t.getName() + " not read");
    }

    @Test
    void aThreadParkedInPlaceIsReadOnceAndThenLeftAlone() {
        Thread t = start("parked-on-latch", () -> {
            try {
                end.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        awaitState(t, Thread.State.WAITING);
        ThreadWatch first = watchOf(reader.read(0, System.nanoTime(), r -> false), t);
        assertEquals(1, first.stackRound, "its stack is read when its wait is first seen");
        assertEquals(Activity.WAITING, first.activity);
        assertTrue(first.waitCount >= 0, "a thread that may be stuck has its wait count read");
        assertTrue(first.waitsOn.className().contains("CountDownLatch"), first.waitsOn.toString());
        StackTraceElement[] stack = first.stack;
        for (int i = 0; i < 5; i++) {
            ThreadWatch again = watchOf(reader.read(0, System.nanoTime(), r -> false), t);
            assertEquals(1, again.stackRound, "not read again while it has not moved");
            assertTrue(again.stack == stack);
            assertEquals(1, again.sinceRound);
        }
    }

    @Test
    void aThreadThatWakesBetweenSamplesIsSeenToMove() throws Exception {
        Semaphore ticks = new Semaphore(0);
        Thread t = start("woken-by-ticks", () -> {
            while (end.getCount() > 0) {
                ticks.acquireUninterruptibly();
            }
        });
        awaitState(t, Thread.State.WAITING);
        ThreadWatch before = watchOf(reader.read(0, System.nanoTime(), r -> false), t);
        long count = before.waitCount;
        long since = before.sinceRound;
        ticks.release();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        ThreadWatch after;
        do {
            awaitState(t, Thread.State.WAITING);
            after = watchOf(reader.read(0, System.nanoTime(), r -> false), t);
        } while (after.waitCount == count && System.nanoTime() < deadline);
        assertNotEquals(count, after.waitCount, "the wake-up shows in its wait count");
        assertNotEquals(since, after.sinceRound, "its wait starts again");
    }

    @Test
    void sleepingThreadsHaveTheirWaitCountReadOnlyUntilTheyAreKnownToSleep() {
        Thread sleeper = start("sleeper", () -> {
            while (end.getCount() > 0) {
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        awaitState(sleeper, Thread.State.TIMED_WAITING);
        long firstRead = watchOf(reader.read(0, System.nanoTime(), r -> false), sleeper).countRound;
        for (int i = 0; i < 3; i++) {
            ThreadWatch w = watchOf(reader.read(0, System.nanoTime(), r -> false), sleeper);
            assertEquals(Activity.SLEEPING, w.activity);
            assertEquals(firstRead, w.countRound,
                    "once known to sleep it cannot be stuck: its wait count is not read again");
        }
    }

    @Test
    void deadlocksAreLookedForOnlyOnceAThreadStaysBlockedOnALock() throws Exception {
        Thread parked = start("parked", () -> {
            while (end.getCount() > 0) {
                LockSupport.park(this);
            }
        });
        awaitState(parked, Thread.State.WAITING);
        List<ThreadWatch> live = reader.read(0, System.nanoTime(), r -> false);
        live = reader.read(0, System.nanoTime(), r -> false);
        assertFalse(reader.mayDeadlock(live), "nobody is blocked on a lock");

        Object monitor = new Object();
        CountDownLatch held = new CountDownLatch(1);
        Thread owner = start("owner", () -> {
            synchronized (monitor) {
                held.countDown();
                try {
                    end.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        held.await();
        Thread blocked = start("blocked", () -> {
            synchronized (monitor) {
                assertNotNull(monitor);
            }
        });
        awaitState(blocked, Thread.State.BLOCKED);
        live = reader.read(0, System.nanoTime(), r -> false);
        assertFalse(reader.mayDeadlock(live), "blocked only since this sample");
        live = reader.read(0, System.nanoTime(), r -> false);
        assertTrue(reader.mayDeadlock(live), "blocked on a monitor for two samples");
        ThreadWatch w = watchOf(live, blocked);
        assertEquals(ThreadIds.of(owner), w.ownerId);
    }

    @Test
    void withManyThreadsThatMayBeStuckAWaitCountIsReadAgainOnlyOnceItIsRecountOld() {
        PlatformThreads hourly = new PlatformThreads(registry, ManagementFactory.getThreadMXBean(),
                TimeUnit.HOURS.toNanos(1));
        List<Thread> many = parkMany(PlatformThreads.COUNT_ALL + 20);
        long t0 = System.nanoTime();
        List<ThreadWatch> live = hourly.read(0, t0, r -> false);
        assertTrue(many.stream().allMatch(t -> watchOf(live, t).countRound == 1), "a new wait's count is read at once");
        List<ThreadWatch> next = hourly.read(0, t0 + TimeUnit.MINUTES.toNanos(59), r -> false);
        assertTrue(many.stream().allMatch(t -> watchOf(next, t).countRound == 1),
                "a count read less than recount ago is not read again");
        Thread late = start("parked-late", () -> {
            while (end.getCount() > 0) {
                LockSupport.park(this);
            }
        });
        awaitState(late, Thread.State.WAITING);
        List<ThreadWatch> third = hourly.read(0, t0 + TimeUnit.MINUTES.toNanos(60), r -> false);
        assertTrue(many.stream().allMatch(t -> watchOf(third, t).countRound == 3), "read again once recount old");
        assertEquals(3, watchOf(third, late).countRound, "and a new wait at once");
    }

    @Test
    void withFewThreadsThatMayBeStuckEveryWaitCountIsReadEverySample() {
        PlatformThreads hourly = new PlatformThreads(registry, ManagementFactory.getThreadMXBean(),
                TimeUnit.HOURS.toNanos(1));
        List<Thread> few = parkMany(10);
        hourly.read(0, 0, r -> false);
        List<ThreadWatch> next = hourly.read(0, 1, r -> false);
        assertTrue(few.stream().allMatch(t -> watchOf(next, t).countRound == 2));
    }

    private List<Thread> parkMany(int n) {
        List<Thread> many = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            many.add(start("parked-" + i, () -> {
                while (end.getCount() > 0) {
                    LockSupport.park(this);
                }
            }));
        }
        for (Thread t : many) {
            awaitState(t, Thread.State.WAITING);
        }
        return many;
    }

    @Test
    void theStacksReadPerSampleAreCapped() {
        parkMany(PlatformThreads.STACKS_PER_SAMPLE + 40);
        List<ThreadWatch> live = reader.read(0, System.nanoTime(), r -> false);
        long read = live.stream().filter(w -> w.stackRound == 1).count();
        assertEquals(PlatformThreads.STACKS_PER_SAMPLE, read, "one sample reads at most the cap");
        live = reader.read(0, System.nanoTime(), r -> false);
        assertEquals(0, live.stream().filter(w -> w.stackRound < 0).count(), "the rest in the next sample");
    }
}
