package io.threadleak.core.sample;

import io.threadleak.core.registry.ThreadRecord;
import io.threadleak.core.site.CreationSite;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The waits of the virtual threads the sampler does not look at in detail (beyond the per-site cap), so that
 * {@code STUCK} counts of virtual threads are true counts. Taking the stacks of 100,000 virtual threads each
 * sample is too expensive; their state and blocker are cheap, so only those are kept: for each such thread in an
 * untimed wait, the blocker's identity and since when it has waited on it unchanged. A thread whose state or
 * blocker changed between two samples woke up; a timed wait ends by itself at its deadline and is not kept.
 *
 * <p>Sampler thread only. About 80 bytes per waiting undetailed virtual thread.
 */
public final class VirtualWaits {

    /** No undetailed virtual threads (hand-made samples, JDK 17). */
    public static final VirtualWaits NONE = new VirtualWaits();

    private static final class Wait {
        final CreationSite site;
        final int blocker;
        final long sinceNanos;
        long round;

        Wait(CreationSite site, int blocker, long sinceNanos) {
            this.site = site;
            this.blocker = blocker;
            this.sinceNanos = sinceNanos;
        }
    }

    private final Map<Long, Wait> waits = new HashMap<>();
    private long round;
    private long nowNanos;

    /** Starts a sampling round. */
    public void beginRound(long nanos) {
        round++;
        nowNanos = nanos;
    }

    /** One undetailed virtual thread in this round: its state and blocker (read without its stack). */
    public void observe(ThreadRecord record, Thread.State state, Object blocker) {
        if (state != Thread.State.WAITING || blocker == null || record.site() == null) {
            waits.remove(record.id());
            return;
        }
        int identity = System.identityHashCode(blocker);
        Wait w = waits.get(record.id());
        if (w == null || w.blocker != identity) {
            w = new Wait(record.site(), identity, nowNanos);
            waits.put(record.id(), w);
        }
        w.round = round;
    }

    /** Ends a round: forgets the threads not seen waiting in it (ended, woken, or now sampled in detail). */
    public void endRound() {
        for (Iterator<Wait> it = waits.values().iterator(); it.hasNext(); ) {
            if (it.next().round != round) {
                it.remove();
            }
        }
    }

    /**
     * How many undetailed virtual threads created at {@code site} have waited, unchanged and untimed, since at
     * least {@code cutoffNanos}.
     */
    public int waitingSince(CreationSite site, long cutoffNanos) {
        int n = 0;
        for (Wait w : waits.values()) {
            if (w.site == site && w.sinceNanos - cutoffNanos <= 0) {
                n++;
            }
        }
        return n;
    }

    /** Undetailed virtual threads in an untimed wait now (for tests and the summary). */
    public int size() {
        return waits.size();
    }
}
