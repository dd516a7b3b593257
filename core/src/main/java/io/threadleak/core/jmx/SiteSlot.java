package io.threadleak.core.jmx;

import java.util.function.Supplier;

/** A {@link ThreadLeakSiteMXBean}: reads one rank of the folded table the main bean keeps. */
final class SiteSlot implements ThreadLeakSiteMXBean {

    private static final SiteMetrics.Row VACANT = new SiteMetrics.Row("", 0, 0, 0, 0);

    private final Supplier<SiteMetrics.Folded> folded;
    /** 1-based rank, or 0 for the {@code other} row. */
    private final int rank;

    SiteSlot(Supplier<SiteMetrics.Folded> folded, int rank) {
        this.folded = folded;
        this.rank = rank;
    }

    private SiteMetrics.Row row() {
        SiteMetrics.Folded f = folded.get();
        SiteMetrics.Row r = rank == 0 ? f.other() : f.rank(rank);
        return r == null ? VACANT : r;
    }

    @Override
    public String getSite() {
        return row().site();
    }

    @Override
    public int getThreads() {
        return row().threads();
    }

    @Override
    public int getExecutors() {
        return row().executors();
    }

    @Override
    public int getTimers() {
        return row().timers();
    }

    @Override
    public int getQueuedTasks() {
        return row().queued();
    }
}
