package io.threadleak.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeakIdentityMapTest {

    /** Application code the map must never call. */
    static final class Hostile {
        @Override
        public boolean equals(Object o) {
            throw new AssertionError("equals called");
        }

        @Override
        public int hashCode() {
            throw new AssertionError("hashCode called");
        }
    }

    /** Equal to every other instance. */
    static final class AllEqual {
        @Override
        public boolean equals(Object o) {
            return o instanceof AllEqual;
        }

        @Override
        public int hashCode() {
            return 1;
        }
    }

    private final WeakIdentityMap<String> map = new WeakIdentityMap<>();

    @Test
    void keysAreComparedByIdentity() {
        AllEqual a = new AllEqual();
        AllEqual b = new AllEqual();
        assertEquals("a", map.putIfAbsent(a, "a"));
        assertEquals("b", map.putIfAbsent(b, "b"), "an equal but distinct key is another key");
        assertEquals(2, map.size());
        assertEquals("a", map.get(a));
        assertEquals("b", map.get(b));
        assertNull(map.get(new AllEqual()));
    }

    @Test
    void equalsAndHashCodeOfKeysAreNeverCalled() {
        Hostile h = new Hostile();
        Hostile other = new Hostile();
        map.putIfAbsent(h, "h");
        map.putIfAbsent(other, "other");
        assertEquals("h", map.get(h));
        assertEquals("h", map.putIfAbsent(h, "again"));
        assertEquals("h", map.remove(h));
        assertNull(map.get(h));
        assertEquals("other", map.get(other));
    }

    @Test
    void putIfAbsentKeepsTheFirstValue() {
        Object k = new Object();
        assertEquals("first", map.putIfAbsent(k, "first"));
        assertEquals("first", map.putIfAbsent(k, "second"));
        assertEquals(1, map.size());
        assertEquals("first", map.get(k));
    }

    @Test
    void removeReturnsTheValueOnce() {
        Object k = new Object();
        map.putIfAbsent(k, "v");
        assertEquals("v", map.remove(k));
        assertNull(map.remove(k));
        assertNull(map.get(k));
        assertEquals(0, map.size());
        assertEquals("w", map.putIfAbsent(k, "w"), "can be added again");
    }

    @Test
    void keysAreHeldWeaklyAndExpungeDropsCollectedOnes() {
        Object live = new Object();
        map.putIfAbsent(live, "live");
        WeakReference<Object> gone = putGarbage("gone");
        assertEquals(2, map.size());
        List<String> dropped = new ArrayList<>();
        for (int i = 0; i < 200 && (gone.get() != null || dropped.isEmpty()); i++) {
            System.gc();
            map.expunge(dropped::add);
        }
        assertNull(gone.get(), "the map does not keep its key alive");
        assertEquals(List.of("gone"), dropped);
        assertEquals(1, map.size());
        assertEquals("live", map.get(live));
        map.expunge(dropped::add);
        assertEquals(List.of("gone"), dropped, "a live key is never dropped");
        assertEquals(List.of("live"), new ArrayList<>(map.values()));
    }

    @Test
    void expungeAfterRemoveDropsNothing() {
        Object key = new Object();
        map.putIfAbsent(key, "gone");
        assertEquals("gone", map.remove(key));
        WeakReference<Object> gone = new WeakReference<>(key);
        key = null;
        for (int i = 0; i < 200 && gone.get() != null; i++) {
            System.gc();
        }
        List<String> dropped = new ArrayList<>();
        map.expunge(dropped::add);
        assertEquals(List.of(), dropped, "a removed entry is not reported again");
        assertEquals(0, map.size());
    }

    @Test
    void lookupsRegisterNothing() {
        for (int i = 0; i < 1000; i++) {
            assertNull(map.get(new Object()));
            assertNull(map.remove(new Object()));
        }
        assertEquals(0, map.size());
        List<String> dropped = new ArrayList<>();
        System.gc();
        map.expunge(dropped::add);
        assertTrue(dropped.isEmpty());
    }

    private WeakReference<Object> putGarbage(String value) {
        Object key = new Object();
        assertSame(value, map.putIfAbsent(key, value));
        return new WeakReference<>(key);
    }
}
