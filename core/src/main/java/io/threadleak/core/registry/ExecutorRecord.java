package io.threadleak.core.registry;

import io.threadleak.core.site.CreationSite;
import java.lang.ref.WeakReference;

/**
 * What is known about one live executor ({@code ThreadPoolExecutor}, {@code ScheduledThreadPoolExecutor},
 * {@code ForkJoinPool}) or {@code java.util.Timer}: where it was created, and the executor itself, weakly.
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
    private final WeakReference<Thread> timerThread;
    private volatile String state = "RUNNING";
    private volatile int poolSize = -1;
    private volatile int queued = -1;
    /** The scope it was created in ({@code io.threadleak.bootstrap.ThreadScope}), or {@code null}. */
    private volatile Object scope;

    public ExecutorRecord(Object executor, long id, String kind, CreationSite site, long createdAtMillis,
                          Origin origin) {
        this(executor, id, kind, site, createdAtMillis, origin, null);
    }

    /**
     * @param timerThread a {@code java.util.Timer}'s thread, or {@code null} for an executor
     */
    public ExecutorRecord(Object executor, long id, String kind, CreationSite site, long createdAtMillis,
                          Origin origin, Thread timerThread) {
        this.executor = new WeakReference<>(executor);
        this.timerThread = timerThread == null ? null : new WeakReference<>(timerThread);
        this.id = id;
        this.kind = kind;
        this.site = site;
        this.createdAtMillis = createdAtMillis;
        this.origin = origin;
    }

    public long id() {
        return id;
    }

    /** The executor's class name without {@code java.util.concurrent.}, or {@code Timer}. */
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

    /** Records what the sampler last saw: its state ({@code RUNNING}, {@code SHUT_DOWN}) and, for the JDK's
     *  thread pools, its worker count and queue length (-1 when not known). Sampler thread only. */
    public void observed(String state, int poolSize, int queued) {
        this.state = state;
        this.poolSize = poolSize;
        this.queued = queued;
    }

    /** {@code RUNNING} or {@code SHUT_DOWN}, as last sampled. */
    public String state() {
        return state;
    }

    /** Worker threads as last sampled, or -1 when unknown. */
    public int poolSize() {
        return poolSize;
    }

    /** Queued tasks as last sampled, or -1 when unknown. */
    public int queued() {
        return queued;
    }

    /** Whether this is a {@code java.util.Timer}, not an executor. */
    public boolean timer() {
        return timerThread != null;
    }

    /** A timer's thread while it is alive (a cancelled or reaped timer's thread ends), else {@code null}. */
    public Thread timerThread() {
        return timerThread == null ? null : timerThread.get();
    }

    /** The executor (for a timer, its thread), or {@code null} once collected. */
    public Object executor() {
        return executor.get();
    }

    /** The scope ({@code io.threadleak.bootstrap.ThreadScope}) it was created in, or {@code null}. */
    public Object scope() {
        return scope;
    }

    public void scope(Object scope) {
        this.scope = scope;
    }

    @Override
    public String toString() {
        return kind + "#" + id + (site == null ? "" : " created at " + site.blame());
    }
}
