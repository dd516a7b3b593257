package io.threadleak.demo;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * A forgotten non-daemon thread keeps the JVM from exiting (an extra of the spec, the Java form of a
 * {@code main} whose background goroutine nobody stops).
 *
 * <p>The application starts a metrics flusher thread, does its work, and returns from {@code main}
 * without stopping it. The flusher is not a daemon thread, so the JVM keeps running after {@code main}
 * has returned. The agent reports {@code EXIT_BLOCKED}, blaming {@link #startMetricsFlusher}.
 */
final class ForgottenThread implements Scenario {

    private static final long FLUSH_INTERVAL_MS = 200;

    /** Request metrics, flushed to the (imaginary) metrics backend by a background thread. */
    static final class Metrics {
        final LongAdder requests = new LongAdder();
        volatile boolean running = true;

        void flush() {
            requests.sumThenReset(); // stands for a push to the metrics backend
        }
    }

    @Override
    public String name() {
        return "forgotten-thread";
    }

    @Override
    public String rule() {
        return "EXIT_BLOCKED";
    }

    @Override
    public String blame() {
        return ForgottenThread.class.getName() + ".startMetricsFlusher";
    }

    @Override
    public String description() {
        return "main returns while a non-daemon metrics flusher keeps the JVM alive";
    }

    @Override
    public void run(boolean fixed, Duration duration) throws InterruptedException {
        Metrics metrics = new Metrics();
        Thread flusher = startMetricsFlusher(metrics, duration);
        if (!fixed) {
            // BUG: returns (and main with it) without stopping the flusher; the JVM cannot exit.
            System.out.println("main returns; the non-daemon " + flusher.getName() + " keeps the JVM alive");
            return;
        }
        for (long end = System.nanoTime() + duration.toNanos(); System.nanoTime() < end; ) {
            metrics.requests.increment(); // the application's work
            Thread.sleep(10);
        }
        // FIX: stop the flusher before leaving: flag, interrupt (it may be sleeping), and wait for it.
        metrics.running = false;
        flusher.interrupt();
        flusher.join();
    }

    /** Starts the background thread that flushes {@code metrics} every {@value #FLUSH_INTERVAL_MS} ms. */
    Thread startMetricsFlusher(Metrics metrics, Duration giveUpAfter) {
        long giveUpAt = System.nanoTime() + giveUpAfter.toNanos();
        Thread flusher = new Thread(() -> flushUntilStopped(metrics, giveUpAt), "metrics-flusher");
        flusher.start(); // not a daemon: a last flush must not be cut off when the JVM exits
        return flusher;
    }

    private static void flushUntilStopped(Metrics metrics, long giveUpAt) {
        // DEMO ONLY: the giveUpAt deadline keeps the demo bounded; in real life the loop runs until
        // someone clears `running`, and a forgotten flusher keeps the JVM alive forever.
        while (metrics.running && System.nanoTime() < giveUpAt) {
            metrics.flush();
            try {
                Thread.sleep(Math.max(1, Math.min(FLUSH_INTERVAL_MS, (giveUpAt - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        metrics.flush();
    }
}
