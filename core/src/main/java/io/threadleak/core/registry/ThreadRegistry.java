package io.threadleak.core.registry;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * The live threads the agent knows about, by JVM thread id. Records of ended threads are removed (only the
 * per-site and total counts survive), so the registry's size follows the number of live threads.
 * Lock-free: starts and exits on application threads never wait for the sampler.
 *
 * <p>Platform and virtual threads are kept apart: the sampler reads each kind its own way, and with 100,000
 * virtual threads a walk over both to pick out a few hundred platform threads would cost as much again.
 */
public final class ThreadRegistry {

    private final ConcurrentHashMap<Long, ThreadRecord> platform = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, ThreadRecord> virtual = new ConcurrentHashMap<>();
    /** The agent's own thread ids: a handful, asked on every thread start, so a plain array. */
    private volatile long[] own = new long[0];
    private final List<WeakReference<Thread>> ownThreads = new CopyOnWriteArrayList<>();
    private final LongAdder ended = new LongAdder();
    /** Platform threads that ended and are still in {@link #platform}; taken out by every method below but the ends. */
    private final EndedIds endedIds = new EndedIds(1024);
    private final LongConsumer endPlatform = id -> remove(id, false);
    /** Makes the record of a live virtual thread that started without one ({@link UnrecordedVirtualThreads}). */
    private volatile Function<Thread, ThreadRecord> adopter;

    public ThreadRecord get(long id) {
        settle();
        Long key = id;
        ThreadRecord r = platform.get(key);
        return r != null ? r : virtual.get(key);
    }

    /** The record of a thread of the given kind, looked up in that kind's map only. */
    public ThreadRecord get(long id, boolean isVirtual) {
        settle();
        return (isVirtual ? virtual : platform).get(id);
    }

    /**
     * The record of a live thread, made now for a virtual thread that started without one; {@code null} when the
     * thread has none. For hooks that need the record of a thread they are handed or run on.
     */
    public ThreadRecord of(Thread thread) {
        return of(thread, ThreadIds.of(thread));
    }

    /** {@link #of(Thread)} for a thread whose id the caller read already. */
    public ThreadRecord of(Thread thread, long id) {
        if (id < 0) {
            return null;
        }
        boolean isVirtual = ThreadTracker.isVirtual(thread);
        ThreadRecord r = get(id, isVirtual);
        Function<Thread, ThreadRecord> a = adopter;
        return r != null || !isVirtual || a == null ? r : a.apply(thread);
    }

    void adopter(Function<Thread, ThreadRecord> adopter) {
        this.adopter = adopter;
    }

    public boolean contains(long id) {
        settle();
        Long key = id;
        return platform.containsKey(key) || virtual.containsKey(key);
    }

    /** Adds a record unless one exists for the id; returns whether it was added. */
    public boolean add(ThreadRecord record) {
        settle();
        Long key = record.id();
        return map(record).putIfAbsent(key, record) == null;
    }

    private ConcurrentHashMap<Long, ThreadRecord> map(ThreadRecord record) {
        return record.virtual() ? virtual : platform;
    }

    /** Removes the record if it is still the registered one and counts the thread as ended. */
    public boolean end(ThreadRecord record) {
        return map(record).remove(record.id(), record) && ended(record);
    }

    /**
     * Removes the record of the thread with this id, if any, and counts the thread as ended, for the exit hook (thread
     * ids are never reused, so the record with the id is the ending thread's). A virtual thread ends on a carrier, and
     * its record goes at once: one map operation. A platform thread ends on itself, and must not allocate there (see
     * {@link EndedIds}): its id is noted, and its record goes at the next call of any other method here.
     */
    public void end(long id, boolean isVirtual) {
        if (isVirtual || !endedIds.offer(id)) {
            remove(id, isVirtual);
        }
    }

    /** {@link #end(long, boolean)} for a virtual thread; returns whether it had a record. */
    boolean endVirtual(long id) {
        return remove(id, true);
    }

    private boolean remove(long id, boolean isVirtual) {
        ThreadRecord record = (isVirtual ? virtual : platform).remove(id);
        return record != null && ended(record);
    }

    /** Takes out the records of platform threads whose end was noted. */
    private void settle() {
        if (endedIds.mayHoldAny()) {
            endedIds.drain(endPlatform);
        }
    }

    private boolean ended(ThreadRecord record) {
        ended.increment();
        if (record.site() != null) {
            record.site().onEndInternal();
        }
        return true;
    }

    /** Counts the end of a thread that had no record ({@link UnrecordedVirtualThreads}). */
    void endedWithoutRecord() {
        ended.increment();
    }

    /** Removes a record without counting an end (its start failed). */
    public void forget(ThreadRecord record) {
        map(record).remove(record.id(), record);
    }

    /** Every live record, platform threads first (a new list: for reports and tests, not for each sample). */
    public Collection<ThreadRecord> records() {
        settle();
        List<ThreadRecord> all = new ArrayList<>(platform.size() + virtual.size());
        all.addAll(platform.values());
        all.addAll(virtual.values());
        return all;
    }

    /** The live platform threads' records (a live view). */
    public Collection<ThreadRecord> platformRecords() {
        settle();
        return platform.values();
    }

    /** The live virtual threads' records (a live view). */
    public Collection<ThreadRecord> virtualRecords() {
        settle();
        return virtual.values();
    }

    public int size() {
        settle();
        return platform.size() + virtual.size();
    }

    /** How many of the live records are of virtual threads. */
    public int virtualSize() {
        settle();
        return virtual.size();
    }

    /** Threads that ended since the agent loaded. */
    public long endedCount() {
        settle();
        return ended.sum();
    }

    /** Marks a thread as the agent's own: never recorded, never sampled, never a suspect. */
    public synchronized void markOwn(long id) {
        if (!isOwn(id)) {
            long[] more = java.util.Arrays.copyOf(own, own.length + 1);
            more[own.length] = id;
            own = more;
        }
    }

    /** Marks one of the agent's own threads, remembered weakly so that {@link #ownAlive} can count it. */
    public void markOwn(Thread thread) {
        markOwn(ThreadIds.of(thread));
        ownThreads.add(new WeakReference<>(thread));
    }

    /** How many of the agent's own threads marked with {@link #markOwn(Thread)} are alive. */
    public int ownAlive() {
        int n = 0;
        for (WeakReference<Thread> ref : ownThreads) {
            Thread t = ref.get();
            if (t != null && t.isAlive()) {
                n++;
            }
        }
        return n;
    }

    public boolean isOwn(long id) {
        for (long o : own) {
            if (o == id) {
                return true;
            }
        }
        return false;
    }
}
