package io.threadleak.core.registry;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A concurrent map from objects, by identity and held weakly, to values: an application object is never kept
 * alive by the agent and its {@code equals}/{@code hashCode} (application code) are never called. Lock-free for
 * the hooks; the sampler drops the entries of collected keys with {@link #expunge}.
 */
public final class WeakIdentityMap<V> {

    private final ConcurrentHashMap<Object, V> map = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();

    public V get(Object key) {
        return map.get(new Lookup(key));
    }

    /** Adds the value unless the key has one; returns the key's value either way. */
    public V putIfAbsent(Object key, V value) {
        V before = map.putIfAbsent(new Key(key, collected), value);
        return before == null ? value : before;
    }

    /** Removes the key's value; returns it, or {@code null}. */
    public V remove(Object key) {
        return map.remove(new Lookup(key));
    }

    /** Drops the entries of collected keys, handing each dropped value to {@code dropped}. */
    public void expunge(Consumer<V> dropped) {
        for (Object ref; (ref = collected.poll()) != null; ) {
            V v = map.remove(ref);
            if (v != null) {
                dropped.accept(v);
            }
        }
    }

    public Collection<V> values() {
        return map.values();
    }

    public int size() {
        return map.size();
    }

    /** The map key: a weak reference compared by the referent's identity. */
    private static final class Key extends WeakReference<Object> {
        private final int hash;

        Key(Object referent, ReferenceQueue<Object> queue) {
            super(referent, queue);
            this.hash = System.identityHashCode(referent);
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
            return o instanceof Lookup && mine != null && mine == ((Lookup) o).referent;
        }
    }

    /** A throw-away key for lookups, so that a lookup never registers a reference. */
    private static final class Lookup {
        private final Object referent;
        private final int hash;

        Lookup(Object referent) {
            this.referent = referent;
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (o instanceof Key) {
                return referent == ((Key) o).get();
            }
            return o instanceof Lookup && referent == ((Lookup) o).referent;
        }
    }
}
