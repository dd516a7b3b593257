package io.threadleak.core.sample;

import io.threadleak.core.registry.ThreadRecord;
import io.threadleak.core.site.CreationSite;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The waits of the virtual threads the sampler does not look at in detail (beyond the per-site cap), so that
 * {@code STUCK} counts of virtual threads are true counts. Taking the stacks of 100,000 virtual threads each
 * sample is too expensive; their state and blocker are cheap, so only those are read: a thread in an untimed wait
 * on the same blocker as in the sample before has waited since its record says ({@link ThreadRecord#waitingOn});
 * a thread whose state or blocker changed woke up; a timed wait ends by itself at its deadline and is not counted.
 *
 * <p>Sampler thread only. Per round it keeps one {@code long} per waiting undetailed thread, per creation site, in
 * arrays reused from round to round.
 */
public final class VirtualWaits {

    /** No undetailed virtual threads (hand-made samples, JDK 17). */
    public static final VirtualWaits NONE = new VirtualWaits();

    /**
     * Since when each undetailed waiting thread of a site has waited, this round. Kept from round to round and
     * refilled: with 100,000 threads waiting, a new array grown by doubling each round cost the sampler about 5 ms a
     * second (a third of its time), and put a megabyte of garbage in the host's heap every sample.
     */
    private static final class Since {
        private static final int INITIAL = 16;

        long[] nanos = new long[INITIAL];
        int size;

        void add(long since) {
            if (size == nanos.length) {
                nanos = Arrays.copyOf(nanos, size * 2);
            }
            nanos[size++] = since;
        }

        /** Empties it for a new round; gives back most of the array when the last round used a quarter or less. */
        void clear() {
            if (nanos.length > 1024 && size <= nanos.length / 4) {
                nanos = new long[Math.max(INITIAL, size * 2)];
            }
            size = 0;
        }
    }

    private final Map<CreationSite, Since> bySite = new IdentityHashMap<>();
    /** The site of the previous thread observed, and its entry: threads of one site mostly come in runs. */
    private CreationSite lastSite;
    private Since lastSince;
    private long round;
    private long nowNanos;
    private int size;

    /** Starts a sampling round. */
    public void beginRound(long nanos) {
        round++;
        nowNanos = nanos;
        bySite.values().removeIf(s -> s.size == 0); // a site none of whose threads waited in the last round
        for (Since s : bySite.values()) {
            s.clear();
        }
        lastSite = null;
        lastSince = null;
        size = 0;
    }

    /** One undetailed virtual thread in this round: its state and blocker (read without its stack). */
    public void observe(ThreadRecord record, Thread.State state, Object blocker) {
        if (state != Thread.State.WAITING || blocker == null || record.site() == null) {
            return;
        }
        long since = record.waitingOn(System.identityHashCode(blocker), round, nowNanos);
        if (record.site() != lastSite) {
            lastSite = record.site();
            lastSince = bySite.computeIfAbsent(lastSite, k -> new Since());
        }
        lastSince.add(since);
        size++;
    }

    /** Ends a round (the counts of the round stay readable until the next one begins). */
    public void endRound() {
        // nothing to forget: a thread not seen in this round starts its wait again when it is next seen
    }

    /**
     * How many undetailed virtual threads created at {@code site} have waited, unchanged and untimed, since at
     * least {@code cutoffNanos}.
     */
    public int waitingSince(CreationSite site, long cutoffNanos) {
        Since s = bySite.get(site);
        int n = 0;
        for (int i = 0; s != null && i < s.size; i++) {
            if (s.nanos[i] - cutoffNanos <= 0) {
                n++;
            }
        }
        return n;
    }

    /** Undetailed virtual threads in an untimed wait now (for tests and the summary). */
    public int size() {
        return size;
    }
}
