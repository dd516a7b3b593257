package io.threadleak.core;

import java.util.concurrent.locks.LockSupport;

/**
 * The agent's one daemon thread: samples every {@code sample} period and reports every {@code interval}. It
 * never lets a failure escape (an agent thread dying with a stack trace on the host's console is a surprise
 * for the host), and it is the agent's own: never tracked, never a suspect.
 */
final class MonitorThread implements Runnable {

    static final String NAME = "threadleak-sampler";

    private final Clock clock;
    private final long samplePeriod;
    private final long intervalPeriod;
    private final Runnable greeting;
    private final Runnable tick;
    private final Runnable report;
    private volatile boolean stopped;

    /**
     * @param greeting runs first, once (start-up messages)
     * @param tick     takes a sample and evaluates the rules
     * @param report   reports the latest suspects
     */
    MonitorThread(Clock clock, Config config, Runnable greeting, Runnable tick, Runnable report) {
        this.clock = clock;
        this.samplePeriod = config.sample().toNanos();
        this.intervalPeriod = config.interval().toNanos();
        this.greeting = greeting;
        this.tick = tick;
        this.report = report;
    }

    /** A daemon thread to run this loop, not started yet. */
    Thread newThread() {
        Thread t = new Thread(this, NAME);
        t.setUncaughtExceptionHandler((thread, e) -> { });
        t.setDaemon(true);
        return t;
    }

    void stop() {
        stopped = true;
    }

    boolean stopped() {
        return stopped;
    }

    @Override
    public void run() {
        try {
            greeting.run();
        } catch (Throwable e) {
            // no logging: keep sampling, the JSON report may still work
        }
        long nextReport = clock.nanoTime() + intervalPeriod;
        while (!stopped) {
            LockSupport.parkNanos(this, samplePeriod);
            if (stopped) {
                return;
            }
            try {
                tick.run();
                if (clock.nanoTime() - nextReport >= 0) {
                    nextReport = clock.nanoTime() + intervalPeriod;
                    report.run();
                }
            } catch (Throwable e) {
                // even logging the failure failed: stay alive and quiet rather than disturb the host
            }
        }
    }
}
