package io.threadleak.core.registry;

import io.threadleak.core.Clock;
import io.threadleak.core.site.CreationSite;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Virtual threads started without a record of their own: the start of a virtual thread whose start key already knows
 * its site (and that no scope needs) only counts the start at that site. The record is made later, when the thread
 * turns out to live: by the sampler, which finds the live virtual threads without a record through the JDK's
 * {@link VirtualThreadCensus}, or by a hook that needs the thread's record first (the thread starts a thread, runs a
 * followed task, waits on a future). A virtual thread that ends before either only counts its end, at the site its
 * task's key names.
 *
 * <p>Why: a record and its map entry, made as a virtual thread starts and taken out again by the carrier as it ends,
 * were half of what the agent added to a virtual thread's start and join (about 1 µs of 2, JDK 25), and most virtual
 * threads (one per request or per task) end long before the next sample.
 *
 * <p>What is lost: a virtual thread recorded by the sampler has no starter ({@code creatorId} -1, no name), and its
 * start time is when the sampler first saw it. Without the census ({@code -Djdk.trackAllThreads=false}, JDK 17, a JDK
 * whose virtual threads are shaped otherwise) every virtual thread is recorded as it starts, as before.
 */
public final class UnrecordedVirtualThreads {

    /** Every this many passes, the live virtual threads are listed even when the counts say none lacks a record. */
    private static final int FULL_PASS = 60;

    private final ThreadRegistry registry;
    private final VirtualThreadCensus census;
    private final Clock clock;
    /** Starts counted without a record, ends of such threads seen by the hook, and records made for them since. */
    private final LongAdder started = new LongAdder();
    private final LongAdder ended = new LongAdder();
    private final AtomicLong recorded = new AtomicLong();
    private long passes;

    UnrecordedVirtualThreads(ThreadRegistry registry, VirtualThreadCensus census, Clock clock) {
        this.registry = registry;
        this.census = census;
        this.clock = clock;
        if (census != VirtualThreadCensus.NONE) {
            registry.adopter(this::record);
        }
    }

    /** Whether virtual threads may start without a record now (the census is available: it checked itself). */
    boolean enabled() {
        return census.available();
    }

    /** A virtual thread started at {@code site} without a record. */
    void started(CreationSite site) {
        site.onStart();
        started.increment();
    }

    /** A virtual thread that had no record ended: its end is counted at the site its start was counted at. */
    void ended(Thread thread) {
        CreationSite site = siteOf(thread);
        if (site != null) {
            site.onEndInternal();
            ended.increment();
            registry.endedWithoutRecord();
        }
    }

    /** The site a virtual thread's start was counted at without a record, or {@code null}. */
    private CreationSite siteOf(Thread thread) {
        StartKey key = StartKey.of(census.task(thread));
        return key == null ? null : key.unwalkedSite();
    }

    /**
     * The record of a live virtual thread that started without one, made now; {@code null} when it did not start
     * that way (its task's key names no site: started before the agent, or by a start that was walked).
     */
    ThreadRecord record(Thread thread) {
        CreationSite site = siteOf(thread);
        long id = ThreadIds.of(thread);
        if (site == null || id < 0) {
            return null;
        }
        ThreadRecord record = new ThreadRecord(thread, id, thread.getName(), true, thread.isDaemon(), site, -1, null,
                clock.currentTimeMillis(), clock.nanoTime(), ThreadRecord.Origin.STARTED);
        if (registry.add(record)) {
            recorded.incrementAndGet();
            return record;
        }
        return registry.get(id, true);
    }

    /**
     * Sampler thread, before each sample: records every live virtual thread that started without a record, when the
     * counts say some may be live (and every {@value #FULL_PASS} passes, in case an end was counted twice).
     *
     * @return how many records were made
     */
    public int recordLive() {
        if (!census.available()) {
            return 0;
        }
        boolean some = started.sum() - ended.sum() - recorded.get() > 0;
        if (!some && ++passes % FULL_PASS != 0) {
            return 0;
        }
        long before = recorded.get();
        census.forEachLive(t -> {
            long id = ThreadIds.of(t);
            if (id >= 0 && registry.get(id, true) == null && !registry.isOwn(id) && t.isAlive()) {
                record(t);
            }
        });
        return (int) (recorded.get() - before);
    }
}
