package io.threadleak.core.jmx;

/** One row of {@link ThreadLeakMXBean#getLiveBySite()} as JMX shows it (an open-type composite). */
public final class SiteCounts {

    private final int threads;
    private final int executors;
    private final int timers;
    private final int queuedTasks;

    public SiteCounts(int threads, int executors, int timers, int queuedTasks) {
        this.threads = threads;
        this.executors = executors;
        this.timers = timers;
        this.queuedTasks = queuedTasks;
    }

    static SiteCounts of(SiteMetrics.Row r) {
        return new SiteCounts(r.threads(), r.executors(), r.timers(), r.queued());
    }

    /** Live threads started at the site (pool workers count with their executor). */
    public int getThreads() {
        return threads;
    }

    /** Executors created at the site, neither shut down nor collected. */
    public int getExecutors() {
        return executors;
    }

    /** Timers created at the site, neither cancelled nor reaped. */
    public int getTimers() {
        return timers;
    }

    /** Tasks waiting in the queues of the executors created at the site. */
    public int getQueuedTasks() {
        return queuedTasks;
    }
}
