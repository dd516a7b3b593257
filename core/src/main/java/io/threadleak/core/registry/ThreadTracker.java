package io.threadleak.core.registry;

import io.threadleak.core.Clock;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.SiteTable;
import io.threadleak.core.site.StackCapture;
import java.util.List;

/**
 * Turns thread starts and exits into registry records. This is the code the instrumented
 * {@code Thread.start} runs on the application's thread, so it does the least it can: one map lookup,
 * one stack walk, one site lookup (line numbers only for a stack never seen before), one map insert.
 */
public final class ThreadTracker {

    private static final ClassValue<Boolean> VIRTUAL = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            String name = type.getName();
            return name.equals("java.lang.VirtualThread") || name.equals("java.lang.ThreadBuilders$BoundVirtualThread");
        }
    };

    private final ThreadRegistry registry;
    private final SiteTable sites;
    private final StackCapture capture;
    private final Clock clock;
    private final UnrecordedVirtualThreads unrecorded;

    /**
     * @param capture the stack capture, or {@code null} when creation stacks are off
     */
    public ThreadTracker(ThreadRegistry registry, SiteTable sites, StackCapture capture, Clock clock) {
        this(registry, sites, capture, clock, VirtualThreadCensus.NONE);
    }

    /**
     * @param census what the JDK knows of its virtual threads: when available, a virtual thread whose start key
     *               knows its site starts without a record (see {@link UnrecordedVirtualThreads})
     */
    public ThreadTracker(ThreadRegistry registry, SiteTable sites, StackCapture capture, Clock clock,
                         VirtualThreadCensus census) {
        this.registry = registry;
        this.sites = sites;
        this.capture = capture;
        this.clock = clock;
        this.unrecorded = new UnrecordedVirtualThreads(registry, census, clock);
    }

    /** Records a thread that is being started by the current thread, walking the current stack. */
    public void threadStarting(Thread thread) {
        threadStarting(thread, capture == null ? null : capture.head(sites.policy()));
    }

    /**
     * Records a thread that is being started by the current thread, whose stack from the thread start down
     * to the first blameable frame was already walked by the caller (the bootstrap bridge). A site seen before is
     * found from the frames themselves, without copying them.
     */
    public void threadStarting(Thread thread, List<StackWalker.StackFrame> head) {
        threadStarting(thread, head, null);
    }

    /**
     * As {@link #threadStarting(Thread, List)}, for a thread whose task has a {@link #startKey}: what the walk
     * found teaches the key.
     */
    public void threadStarting(Thread thread, List<StackWalker.StackFrame> head, Object key) {
        long id = ThreadIds.of(thread);
        if (id < 0 || registry.isOwn(id)) {
            return;
        }
        Thread creator = Thread.currentThread();
        long creatorId = ThreadIds.of(creator);
        ThreadRecord creatorRecord = registry.of(creator, creatorId);
        CreationSite site = null;
        if (capture != null && head != null) {
            CreationSite creatorSite = creatorRecord == null ? null : creatorRecord.site();
            site = sites.find(head, creatorSite);
            if (site == null) {
                site = sites.intern(StackCapture.of(head), capture, creatorSite);
            }
            if (key instanceof StartKey) {
                ((StartKey) key).learn(creatorSite, site);
            }
        }
        add(thread, id, site, creator, creatorId);
    }

    /**
     * The key a new thread's creation site can be known by, from the application task it runs ({@code body},
     * unwrapped from the JDK's executor wrappers) or, for an application's {@code Thread} subclass, the thread itself;
     * {@code null} when the class is the JDK's own (it says nothing of where the thread is started).
     */
    public Object startKey(Object body) {
        return capture == null ? null : StartKey.of(body);
    }

    /**
     * Records a thread that is being started by the current thread at the site its start key knows, without a
     * walk; returns {@code false} (recording nothing) when this start must be walked instead. A virtual thread that
     * needs no record now (see {@link UnrecordedVirtualThreads}) is only counted at the site.
     *
     * @param needsRecord whether the thread must be recorded now whatever its kind (it may belong to a scope)
     */
    public boolean threadStartingKnown(Thread thread, Object key, boolean needsRecord) {
        if (!(key instanceof StartKey)) {
            return false;
        }
        long id = ThreadIds.of(thread);
        if (id < 0 || registry.isOwn(id)) {
            return true; // nothing to record
        }
        Thread creator = Thread.currentThread();
        long creatorId = ThreadIds.of(creator);
        ThreadRecord creatorRecord = registry.of(creator, creatorId);
        CreationSite site = ((StartKey) key).siteWithoutWalk(creatorRecord == null ? null : creatorRecord.site());
        if (site == null) {
            return false;
        }
        if (!needsRecord && unrecorded.enabled() && isVirtual(thread)) {
            unrecorded.started(site);
            return true;
        }
        add(thread, id, site, creator, creatorId);
        return true;
    }

    private void threadStarting(Thread thread, StackCapture.RawStack head) {
        long id = ThreadIds.of(thread);
        if (id < 0 || registry.contains(id) || registry.isOwn(id)) {
            return;
        }
        Thread creator = Thread.currentThread();
        long creatorId = ThreadIds.of(creator);
        ThreadRecord creatorRecord = registry.of(creator, creatorId);
        CreationSite site = null;
        if (head != null) {
            site = sites.intern(head, capture, creatorRecord == null ? null : creatorRecord.site());
        }
        add(thread, id, site, creator, creatorId);
    }

    private void add(Thread thread, long id, CreationSite site, Thread creator, long creatorId) {
        ThreadRecord record = new ThreadRecord(thread, id, thread.getName(), VIRTUAL.get(thread.getClass()),
                thread.isDaemon(), site, creatorId, creator.getName(), clock.currentTimeMillis(), clock.nanoTime(),
                ThreadRecord.Origin.STARTED);
        if (registry.add(record) && site != null) {
            site.onStart();
        }
    }

    /** Whether the thread already has a record (or is one of the agent's own). */
    public boolean isTracked(Thread thread) {
        long id = ThreadIds.of(thread);
        return id < 0 || registry.get(id, isVirtual(thread)) != null || registry.isOwn(id);
    }

    /** Records the end of a thread: the current thread, or a virtual thread ending on its carrier. */
    public void threadExiting(Thread thread) {
        long id = ThreadIds.of(thread);
        if (!isVirtual(thread)) {
            registry.end(id, false);
        } else if (!registry.endVirtual(id) && unrecorded.enabled()) {
            unrecorded.ended(thread);
        }
    }

    /**
     * Sampler thread, before each sample: records the live virtual threads that started without a record (see
     * {@link UnrecordedVirtualThreads#recordLive}); returns how many.
     */
    public int recordLiveVirtualThreads() {
        return unrecorded.recordLive();
    }

    /** Whether a thread is virtual (JDK 21+). */
    public static boolean isVirtual(Thread thread) {
        return VIRTUAL.get(thread.getClass());
    }
}
