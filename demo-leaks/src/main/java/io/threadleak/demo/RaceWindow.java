package io.threadleak.demo;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * DEMO ONLY: makes the unlucky interleaving of two transfers happen on every run instead of once a
 * week in production. Not part of any bug; the lock-order scenarios use it in both variants.
 */
final class RaceWindow {

    /** Long enough for the other thread to take its first lock, short enough not to look stuck. */
    private static final long HOLD_MS = 100;

    private final CountDownLatch arrived = new CountDownLatch(2);
    private final CountDownLatch firstLocksTaken = new CountDownLatch(2);

    /** Waits, holding no lock, until both threads are running, so they start their transfers together. */
    void arrive() {
        arrived.countDown();
        try {
            arrived.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Called right after taking the first lock: waits until the other thread has taken its first lock
     * too, or {@value #HOLD_MS} ms at most (it never gets there when both want the same first lock).
     */
    void holdFirstLock() {
        firstLocksTaken.countDown();
        try {
            firstLocksTaken.await(HOLD_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
