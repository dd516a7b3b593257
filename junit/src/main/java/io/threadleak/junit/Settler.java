package io.threadleak.junit;

import io.threadleak.api.Leftover;
import java.time.Duration;
import java.util.List;

/**
 * Waits for leftovers to end, by their events: joins the threads of those that may still end on their own (threads,
 * shut-down executors), up to one deadline for all, and returns as soon as they ended. Nothing is polled and nothing
 * sleeps: a test that left nothing never gets here, and one whose threads end at once waits that long.
 */
final class Settler {

    private Settler() {
    }

    /**
     * @return nanoseconds waited
     */
    static long settle(List<Leftover> leftovers, Duration settle) {
        long start = System.nanoTime();
        long deadline = start + settle.toNanos();
        try {
            for (Leftover l : leftovers) {
                if (!l.settling()) {
                    continue; // a pool never shut down: nothing will end it
                }
                for (Thread t : l.threads()) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return System.nanoTime() - start;
                    }
                    t.join(remaining / 1_000_000, (int) (remaining % 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return System.nanoTime() - start;
    }
}
