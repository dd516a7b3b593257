package io.threadleak.core.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.Clock;
import io.threadleak.core.registry.ThreadIds;
import io.threadleak.core.registry.ThreadRecord;
import io.threadleak.core.registry.ThreadRegistry;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sampler keeps a parked platform thread's snapshot from one sample to the next while nothing it shows changed,
 * and makes a new one as soon as something did.
 */
class SamplerSnapshotsTest {

    private final ThreadRegistry registry = new ThreadRegistry();
    private final Sampler sampler = new Sampler(registry, Clock.SYSTEM, List.of(), null);
    private final CountDownLatch end = new CountDownLatch(1);
    private final Semaphore ticks = new Semaphore(0);
    private Thread thread;

    @AfterEach
    void release() throws InterruptedException {
        end.countDown();
        ticks.release();
        if (thread != null) {
            thread.interrupt();
            thread.join(5_000);
        }
    }

    private Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        registry.add(new ThreadRecord(t, ThreadIds.of(t), name, false, true, null, -1, null, 0, 0,
                ThreadRecord.Origin.STARTED));
        t.start();
        thread = t;
        return t;
    }

    private static void awaitWaiting(Thread t) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.WAITING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(t.getName() + " is " + t.getState());
            }
            Thread.onSpinWait();
        }
    }

    private ThreadSnapshot of(Sample sample, Thread t) {
        return sample.threads().stream().filter(s -> s.id() == ThreadIds.of(t)).findFirst()
                .orElseThrow(() -> new AssertionError(t.getName() + " not sampled"));
    }

    @Test
    void aParkedThreadThatDidNotMoveKeepsItsSnapshot() {
        Thread t = start("parked", () -> {
            try {
                end.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        awaitWaiting(t);
        ThreadSnapshot first = of(sampler.sample(), t);
        assertTrue(first.stack().length > 0, "its stack was read in the first sample");
        assertTrue(first.unchangedSinceNanos() >= 0, "a platform thread is followed by the sampler");
        ThreadSnapshot second = of(sampler.sample(), t);
        assertSame(first, second, "nothing changed: the same snapshot");
        t.setName("renamed");
        ThreadSnapshot renamed = of(sampler.sample(), t);
        assertNotSame(first, renamed);
        assertEquals("renamed", renamed.name());
        assertEquals(first.unchangedSinceNanos(), renamed.unchangedSinceNanos(), "a new name is not a wake-up");
    }

    @Test
    void aThreadThatWokeGetsANewSnapshotAndItsWaitStartsAgain() throws InterruptedException {
        Thread t = start("woken", () -> {
            while (end.getCount() > 0) {
                ticks.acquireUninterruptibly();
            }
        });
        awaitWaiting(t);
        ThreadSnapshot before = of(sampler.sample(), t);
        ticks.release();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        ThreadSnapshot after;
        do {
            Thread.sleep(1); // the sample's clock must move on for a new wait to start later
            awaitWaiting(t);
            after = of(sampler.sample(), t);
        } while (after == before && System.nanoTime() < deadline);
        assertNotSame(before, after);
        assertTrue(after.waitCount() > before.waitCount(), "its wait count moved");
        assertTrue(after.unchangedSinceNanos() > before.unchangedSinceNanos(), "its wait starts again");
    }
}
