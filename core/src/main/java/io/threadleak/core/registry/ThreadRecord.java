package io.threadleak.core.registry;

import io.threadleak.core.site.CreationSite;
import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What is known about one live thread. Holds the thread weakly (the record is itself the weak reference, one
 * object less per thread) and its creation stack only through the shared {@link CreationSite}, so a record costs
 * a few dozen bytes whatever the stack depth.
 */
public final class ThreadRecord extends WeakReference<Thread> {

    /** How the agent learned about a thread. */
    public enum Origin {
        /** Seen starting: creation site known. */
        STARTED,
        /** Alive when the agent loaded: creation site unknown. */
        PREEXISTING,
        /** A JDK or VM thread, or one of the agent's own: never a suspect. */
        SYSTEM
    }

    private final long id;
    private final String name;
    private final boolean virtual;
    private final boolean daemon;
    private final CreationSite site;
    private final long creatorId;
    private final String creatorName;
    private final long createdAtMillis;
    private final long registeredNanos;
    private final Origin origin;
    private volatile ExecutorRecord executor;
    private volatile AtomicReferenceArray<Object> slot;
    /** The scope it belongs to (a {@code ThreadScope} of the bridge), or {@code null}. */
    private volatile Object scope;
    /** Identity hashes of the slot's task and future as the sampler last saw them over (sampler thread only). */
    private int overTask;
    private int overFuture;
    /** The sampler's note of a wait it sees without a stack (virtual threads beyond the detail cap): the
     *  blocker's identity, since when, and the sample round that last saw it. Kept here, not in a map: 100,000
     *  parked virtual threads would otherwise cost a map entry each. */
    private int waitIdentity;
    private long waitSinceNanos;
    private long waitRound = -1;

    public ThreadRecord(Thread thread, long id, String name, boolean virtual, boolean daemon, CreationSite site,
                        long creatorId, String creatorName, long createdAtMillis, long registeredNanos, Origin origin) {
        super(thread);
        this.id = id;
        this.name = name;
        this.virtual = virtual;
        this.daemon = daemon;
        this.site = site;
        this.creatorId = creatorId;
        this.creatorName = creatorName;
        this.createdAtMillis = createdAtMillis;
        this.registeredNanos = registeredNanos;
        this.origin = origin;
    }

    public long id() {
        return id;
    }

    /** The name the thread had when it started (threads may rename themselves later). */
    public String name() {
        return name;
    }

    public boolean virtual() {
        return virtual;
    }

    public boolean daemon() {
        return daemon;
    }

    /** The creation site, or {@code null} when the thread was not seen starting. */
    public CreationSite site() {
        return site;
    }

    public long creatorId() {
        return creatorId;
    }

    public String creatorName() {
        return creatorName;
    }

    public long createdAtMillis() {
        return createdAtMillis;
    }

    public long registeredNanos() {
        return registeredNanos;
    }

    public Origin origin() {
        return origin;
    }

    /** The executor this thread is a worker of, or {@code null}. */
    public ExecutorRecord executor() {
        return executor;
    }

    /** Links the thread to the executor it works for. */
    public void executor(ExecutorRecord record) {
        this.executor = record;
    }

    /**
     * What the thread's own hooks say it is doing, laid out as {@code ThreadSlotLayout} says (the task it runs, the
     * future it blocks on, the children of its task); {@code null} until it first ran a task or blocked on a future.
     */
    public AtomicReferenceArray<Object> slot() {
        return slot;
    }

    public void slot(AtomicReferenceArray<Object> slot) {
        this.slot = slot;
    }

    /**
     * Whether the sampler saw this slot entry over (not on the thread's stack) at its previous sample too, and
     * remembers it for the next one; {@code entry == null} forgets. Only an identity hash is kept, never the object.
     *
     * @param task the task entry when true, the future entry when false
     */
    public boolean overTwice(boolean task, Object entry) {
        int hash = entry == null ? 0 : System.identityHashCode(entry);
        int before = task ? overTask : overFuture;
        if (task) {
            overTask = hash;
        } else {
            overFuture = hash;
        }
        return hash != 0 && hash == before;
    }

    /**
     * Notes that the sampler saw this thread waiting on a blocker with this identity in {@code round}; returns since
     * when it has waited on it without a break (a wait not seen in the round before starts again now). Sampler
     * thread only.
     */
    public long waitingOn(int identity, long round, long nowNanos) {
        if (waitRound != round - 1 || identity != waitIdentity) {
            waitIdentity = identity;
            waitSinceNanos = nowNanos;
        }
        waitRound = round;
        return waitSinceNanos;
    }

    /** The thread, or {@code null} once it has been collected. */
    public Thread thread() {
        return get();
    }

    /** The scope ({@code io.threadleak.bootstrap.ThreadScope}) the thread was created in, or {@code null}. */
    public Object scope() {
        return scope;
    }

    public void scope(Object scope) {
        this.scope = scope;
    }
}
