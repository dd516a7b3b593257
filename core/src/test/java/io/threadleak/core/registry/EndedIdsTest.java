package io.threadleak.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** The ring of ended thread ids: in order, each id to one reader once, full when readers lag. */
class EndedIdsTest {

    @Test
    void idsComeOutInOrderAndOnce() {
        EndedIds ids = new EndedIds(4);
        assertFalse(ids.mayHoldAny());
        assertTrue(ids.offer(11));
        assertTrue(ids.offer(12));
        assertTrue(ids.mayHoldAny());
        List<Long> out = new ArrayList<>();
        ids.drain(out::add);
        assertEquals(List.of(11L, 12L), out);
        assertFalse(ids.mayHoldAny());
        ids.drain(out::add);
        assertEquals(2, out.size());
    }

    @Test
    void aFullRingRefusesUntilRead() {
        EndedIds ids = new EndedIds(4);
        for (long id = 1; id <= 4; id++) {
            assertTrue(ids.offer(id));
        }
        assertFalse(ids.offer(5), "four places, four ids waiting");
        List<Long> out = new ArrayList<>();
        ids.drain(out::add);
        assertEquals(List.of(1L, 2L, 3L, 4L), out);
        for (long id = 5; id <= 8; id++) {
            assertTrue(ids.offer(id), "the places are free again");
        }
        ids.drain(out::add);
        assertEquals(8, out.size());
    }

    @Test
    void aCapacityMustBeAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new EndedIds(6));
    }

    /** Writers and readers at once: every id offered is either refused or read exactly once. */
    @Test
    void concurrentWritersAndReadersLoseAndRepeatNothing() throws Exception {
        EndedIds ids = new EndedIds(64);
        int writers = 3;
        int perWriter = 50_000;
        ConcurrentHashMap<Long, Boolean> read = new ConcurrentHashMap<>();
        LongAdder refused = new LongAdder();
        LongAdder twice = new LongAdder();
        AtomicBoolean writing = new AtomicBoolean(true);
        CyclicBarrier go = new CyclicBarrier(writers + 2);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            long base = 1 + (long) w * perWriter;
            threads.add(new Thread(() -> {
                await(go);
                for (long id = base; id < base + perWriter; id++) {
                    if (!ids.offer(id)) {
                        refused.increment();
                    }
                }
            }));
        }
        for (int r = 0; r < 2; r++) {
            threads.add(new Thread(() -> {
                await(go);
                while (writing.get() || ids.mayHoldAny()) {
                    ids.drain(id -> {
                        if (read.put(id, Boolean.TRUE) != null) {
                            twice.increment();
                        }
                    });
                }
            }));
        }
        threads.forEach(Thread::start);
        for (int w = 0; w < writers; w++) {
            threads.get(w).join();
        }
        writing.set(false);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(0, twice.sum(), "ids read twice");
        assertEquals((long) writers * perWriter, read.size() + refused.sum(), "ids lost");
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
