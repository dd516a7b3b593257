package io.threadleak.core.registry;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live executors, by identity, held weakly: an executor the application drops is forgotten once it is
 * collected. Lock-free for the hooks; the sampler removes the records of executors that terminated.
 */
public final class ExecutorRegistry {

    private final ConcurrentHashMap<Object, ExecutorRecord> live = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
    private final AtomicLong ids = new AtomicLong();
    private final LongAdder ended = new LongAdder();

    /** A fresh id for a new record. */
    public long nextId() {
        return ids.incrementAndGet();
    }

    public ExecutorRecord get(Object executor) {
        return live.get(new Lookup(executor));
    }

    /** Adds the record unless the executor has one; returns the executor's record either way. */
    public ExecutorRecord add(Object executor, ExecutorRecord record) {
        ExecutorRecord before = live.putIfAbsent(new Key(executor, collected), record);
        return before == null ? record : before;
    }

    /** Removes the record of an executor that terminated, counting it as ended. */
    public void end(Object executor) {
        if (live.remove(new Lookup(executor)) != null) {
            ended.increment();
        }
    }

    /** Drops the records of collected executors, counting them as ended. */
    public void expunge() {
        for (Object ref; (ref = collected.poll()) != null; ) {
            if (live.remove(ref) != null) {
                ended.increment();
            }
        }
    }

    public Collection<ExecutorRecord> records() {
        return live.values();
    }

    public int size() {
        return live.size();
    }

    /** Executors that terminated or were collected since the agent loaded. */
    public long endedCount() {
        return ended.sum();
    }

    /** The map key: a weak reference compared by the referent's identity. */
    private static final class Key extends WeakReference<Object> {
        private final int hash;

        Key(Object executor, ReferenceQueue<Object> queue) {
            super(executor, queue);
            this.hash = System.identityHashCode(executor);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            Object mine = get();
            if (o instanceof Key) {
                return mine != null && mine == ((Key) o).get();
            }
            return o instanceof Lookup && mine != null && mine == ((Lookup) o).executor;
        }
    }

    /** A throw-away key for lookups, so that a lookup never registers a reference. */
    private static final class Lookup {
        private final Object executor;
        private final int hash;

        Lookup(Object executor) {
            this.executor = executor;
            this.hash = System.identityHashCode(executor);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (o instanceof Key) {
                return executor == ((Key) o).get();
            }
            return o instanceof Lookup && executor == ((Lookup) o).executor;
        }
    }
}
