package io.threadleak.core.registry;

import io.threadleak.core.site.CreationSite;
import java.lang.ref.WeakReference;

/**
 * What is known about one live executor ({@code ThreadPoolExecutor}, {@code ScheduledThreadPoolExecutor},
 * {@code ForkJoinPool}): where it was created, and the executor itself, weakly.
 */
public final class ExecutorRecord {

    /** How the agent learned about an executor. */
    public enum Origin {
        /** Seen being constructed: creation site known. */
        CREATED,
        /** First seen when one of its workers started: created before the agent loaded. */
        PREEXISTING,
        /** A JDK singleton (the common pool, the virtual thread scheduler, the async delayer): never a suspect. */
        SYSTEM
    }

    private final long id;
    private final String kind;
    private final CreationSite site;
    private final long createdAtMillis;
    private final Origin origin;
    private final WeakReference<Object> executor;

    public ExecutorRecord(Object executor, long id, String kind, CreationSite site, long createdAtMillis,
                          Origin origin) {
        this.executor = new WeakReference<>(executor);
        this.id = id;
        this.kind = kind;
        this.site = site;
        this.createdAtMillis = createdAtMillis;
        this.origin = origin;
    }

    public long id() {
        return id;
    }

    /** The executor's class name, without {@code java.util.concurrent.}. */
    public String kind() {
        return kind;
    }

    /** Where it was constructed, or {@code null} when unknown. */
    public CreationSite site() {
        return site;
    }

    public long createdAtMillis() {
        return createdAtMillis;
    }

    public Origin origin() {
        return origin;
    }

    /** The executor, or {@code null} once collected. */
    public Object executor() {
        return executor.get();
    }

    @Override
    public String toString() {
        return kind + "#" + id + (site == null ? "" : " created at " + site.blame());
    }
}
