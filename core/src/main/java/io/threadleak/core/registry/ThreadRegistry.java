package io.threadleak.core.registry;

import java.lang.ref.WeakReference;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live threads the agent knows about, by JVM thread id. Records of ended threads are removed (only the
 * per-site and total counts survive), so the registry's size follows the number of live threads.
 * Lock-free: starts and exits on application threads never wait for the sampler.
 */
public final class ThreadRegistry {

    private final ConcurrentHashMap<Long, ThreadRecord> live = new ConcurrentHashMap<>();
    /** The agent's own thread ids: a handful, asked on every thread start, so a plain array. */
    private volatile long[] own = new long[0];
    private final List<WeakReference<Thread>> ownThreads = new CopyOnWriteArrayList<>();
    private final LongAdder ended = new LongAdder();

    public ThreadRecord get(long id) {
        return live.get(id);
    }

    public boolean contains(long id) {
        return live.containsKey(id);
    }

    /** Adds a record unless one exists for the id; returns whether it was added. */
    public boolean add(ThreadRecord record) {
        return live.putIfAbsent(record.id(), record) == null;
    }

    /** Removes the record if it is still the registered one and counts the thread as ended. */
    public boolean end(ThreadRecord record) {
        if (live.remove(record.id(), record)) {
            ended.increment();
            if (record.site() != null) {
                record.site().onEndInternal();
            }
            return true;
        }
        return false;
    }

    /** Removes a record without counting an end (its start failed). */
    public void forget(ThreadRecord record) {
        live.remove(record.id(), record);
    }

    public Collection<ThreadRecord> records() {
        return live.values();
    }

    public int size() {
        return live.size();
    }

    /** Threads that ended since the agent loaded. */
    public long endedCount() {
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
