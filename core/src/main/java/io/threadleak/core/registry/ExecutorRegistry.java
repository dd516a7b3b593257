package io.threadleak.core.registry;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live executors and timers, by identity, held weakly: an executor the application drops is forgotten once
 * it is collected. Lock-free for the hooks; the sampler removes the records of executors that terminated.
 */
public final class ExecutorRegistry {

    private final WeakIdentityMap<ExecutorRecord> live = new WeakIdentityMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final LongAdder ended = new LongAdder();

    /** A fresh id for a new record. */
    public long nextId() {
        return ids.incrementAndGet();
    }

    public ExecutorRecord get(Object executor) {
        return live.get(executor);
    }

    /** Adds the record unless the executor has one; returns the executor's record either way. */
    public ExecutorRecord add(Object executor, ExecutorRecord record) {
        return live.putIfAbsent(executor, record);
    }

    /** Removes the record of an executor that terminated, counting it as ended. */
    public void end(Object executor) {
        if (live.remove(executor) != null) {
            ended.increment();
        }
    }

    /** Drops the records of collected executors, counting them as ended. */
    public void expunge() {
        live.expunge(r -> ended.increment());
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
}
