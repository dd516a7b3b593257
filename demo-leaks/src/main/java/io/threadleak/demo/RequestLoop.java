package io.threadleak.demo;

import java.time.Duration;

/** Drives a scenario like traffic: one request every {@code intervalMs}, numbered from 1, for a duration. */
final class RequestLoop {

    /** Serves one request. */
    interface Handler {
        void handle(int requestId) throws InterruptedException;
    }

    private RequestLoop() {
    }

    static void run(Duration duration, long intervalMs, Handler handler) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        for (int requestId = 1; System.nanoTime() < deadline; requestId++) {
            long next = System.nanoTime() + intervalMs * 1_000_000;
            handler.handle(requestId);
            // Rounded up: a sleep cut short by the rounding would fire a burst of requests just before the deadline.
            Thread.sleep(Math.max(0, (Math.min(next, deadline) - System.nanoTime() + 999_999) / 1_000_000));
        }
    }
}
