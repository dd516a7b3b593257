package io.threadleak.core.registry;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongConsumer;

/**
 * Ids of platform threads that have ended, waiting to be taken out of the registry by a thread that can afford it.
 *
 * <p>A platform thread's end must not allocate. A thread that never allocated has no allocation buffer of its own,
 * and its first allocation, even of one boxed {@code Long} for a map removal, takes one: a buffer of the young
 * generation, sized for a busy thread and abandoned a moment later. A program starting short threads one after
 * another then fills the young generation again every hundred threads or so, where without the agent it fills it
 * about never: a collection, and its pause, that the host would not have had. So the ending thread only writes its id
 * into this fixed ring, and the next thread to start one, the sampler or any reader of the registry takes it out.
 *
 * <p>Lock-free, many writers and many readers, nothing allocated: a bounded queue after Dmitry Vyukov's, where each
 * place carries a turn number that tells whether it is free to write, holds an id to read, or is between the two. When
 * the ring is full, {@link #offer} says so and the caller ends the thread at once.
 */
final class EndedIds {

    private final AtomicLongArray ids;
    /**
     * Per place: equal to the position a writer may claim there when free; one more once the id is written; the
     * position plus the capacity once read (free for the next round).
     */
    private final AtomicLongArray turns;
    private final int mask;
    private final AtomicLong tail = new AtomicLong();
    private final AtomicLong head = new AtomicLong();

    /** @param capacity a power of two */
    EndedIds(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        ids = new AtomicLongArray(capacity);
        turns = new AtomicLongArray(capacity);
        for (int i = 0; i < capacity; i++) {
            turns.set(i, i);
        }
        mask = capacity - 1;
    }

    /** Notes an ended thread's id; {@code false} when the ring is full and nothing was noted. */
    boolean offer(long id) {
        for (;;) {
            long t = tail.get();
            int place = (int) t & mask;
            long turn = turns.getAcquire(place);
            if (turn < t) {
                return false; // the place still holds an id of the last round
            }
            if (turn == t && tail.compareAndSet(t, t + 1)) {
                ids.setPlain(place, id);
                turns.setRelease(place, t + 1);
                return true;
            }
        }
    }

    /** Whether an id may be waiting: two reads, for the callers that drain on every call. */
    boolean mayHoldAny() {
        return tail.get() != head.get();
    }

    /**
     * Hands every waiting id to {@code ended}, in order of their places, each to one caller only. Stops at a place
     * claimed but not yet written (its writer is between the two steps); a later call gets the rest.
     */
    void drain(LongConsumer ended) {
        for (;;) {
            long h = head.get();
            int place = (int) h & mask;
            long turn = turns.getAcquire(place);
            if (turn < h + 1) {
                return; // nothing written there yet
            }
            if (turn == h + 1 && head.compareAndSet(h, h + 1)) {
                long id = ids.getPlain(place);
                turns.setRelease(place, h + mask + 1);
                ended.accept(id);
            }
        }
    }
}
