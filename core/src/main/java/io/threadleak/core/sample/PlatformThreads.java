package io.threadleak.core.sample;

import io.threadleak.core.registry.ThreadOverride;
import io.threadleak.core.registry.ThreadRecord;
import io.threadleak.core.registry.ThreadRegistry;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Reads the live platform threads for one sample, cheaply first and in depth only where it can matter.
 *
 * <ol>
 * <li>Every thread in the registry: its state and park blocker, read off the {@code Thread} object (no VM
 *     operation, no pause).</li>
 * <li>Threads that may be stuck (waiting or blocked, not idle, not sleeping): their wait counts, lock and lock
 *     owner, through {@link ThreadMXBean#getThreadInfo(long[], int)} without stacks, which needs no pause. Up to
 *     {@value #COUNT_ALL} such threads are read every sample. Beyond that, a thread's count is read when its wait
 *     is new and again once the count read is {@code recount} old, a quarter of {@code stuckAfter} (a count that
 *     did not move across a wait proves it never woke; the reads in between only find a wake-up sooner): at
 *     most {@value #COUNTS_PER_SAMPLE} per sample, those never read first, then the longest unread. Reading a
 *     count costs about 2.5 microseconds a thread, so 10,000 parked threads read every sample would cost 25 ms.</li>
 * <li>Stacks, only of threads that moved since their stack was read (a new state or blocker, a new wait
 *     count), of running threads every {@value #RUNNING_REFRESH} samples, and of threads running a tracked task:
 *     at most {@value #STACKS_PER_SAMPLE} per sample, see {@link StackReader}. A thread that stays parked on the
 *     same blocker with the same wait count has not moved, so its stack is the one read when its wait began.</li>
 * </ol>
 * So 10,000 parked threads cost a state read each per sample, and no pause at all once their stacks are known.
 */
final class PlatformThreads {

    static final int COUNTS_PER_SAMPLE = 2048;
    /** Up to this many threads that may be stuck have their wait counts read in every sample. */
    static final int COUNT_ALL = 256;
    /** The default {@code recount}: a quarter of the default {@code stuckAfter}. */
    static final long RECOUNT_NANOS = TimeUnit.SECONDS.toNanos(15);
    static final int STACKS_PER_SAMPLE = 512;
    static final int RUNNING_REFRESH = 4;
    private static final ThreadOverride OWN_GET_STATE = new ThreadOverride("getState");

    private final ThreadRegistry registry;
    private final ThreadMXBean mx;
    private final StackReader stacks;
    private final long recountNanos;
    private final Map<ThreadRecord, ThreadWatch> watches = new IdentityHashMap<>();
    private long round;
    private long nowNanos;

    PlatformThreads(ThreadRegistry registry, ThreadMXBean mx) {
        this(registry, mx, RECOUNT_NANOS);
    }

    /**
     * @param recountNanos how old a wait count may get before it is read again, when more than {@value #COUNT_ALL}
     *                     threads may be stuck
     */
    PlatformThreads(ThreadRegistry registry, ThreadMXBean mx, long recountNanos) {
        this.registry = registry;
        this.mx = mx;
        this.stacks = new StackReader(mx);
        this.recountNanos = recountNanos;
    }

    /**
     * The live platform threads of this sample, read as described above; ends the records of threads that are
     * gone (started before {@code previousNanos} and no longer alive, or collected).
     *
     * @param now        the time of this sample
     * @param needsStack threads whose stack is wanted in every sample while they run (e.g. running a tracked task)
     */
    List<ThreadWatch> read(long previousNanos, long now, Predicate<ThreadWatch> needsStack) {
        round++;
        nowNanos = now;
        List<ThreadWatch> live = new ArrayList<>(watches.size() + 16);
        List<ThreadWatch> viaMx = new ArrayList<>();
        for (ThreadRecord record : registry.platformRecords()) {
            Thread t = record.thread();
            if (t == null) {
                registry.end(record);
                continue;
            }
            ThreadWatch w = watches.get(record);
            if (w == null) {
                w = new ThreadWatch(record);
                watches.put(record, w);
            }
            w.thread = t;
            w.slot = record.slot();
            if (OWN_GET_STATE.of(t)) {
                if (!t.isAlive()) {
                    if (record.registeredNanos() < previousNanos) {
                        registry.end(record);
                    }
                    continue;
                }
                viaMx.add(w); // its state comes with its wait count below
            } else {
                Thread.State state = t.getState();
                if (state == Thread.State.NEW) {
                    continue; // still being started
                }
                if (state == Thread.State.TERMINATED) {
                    if (record.registeredNanos() < previousNanos) {
                        registry.end(record);
                    }
                    continue;
                }
                w.observe(state, LockSupport.getBlocker(t), round, now);
            }
            w.seenRound = round;
            live.add(w);
        }
        if (watches.size() > live.size()) {
            watches.values().removeIf(w -> w.seenRound != round); // threads that ended or are being started
        }
        readCounts(live, viaMx);
        readStacks(live, needsStack);
        return live;
    }

    /** Wait counts, lock and owner of threads that may be stuck, and the state of threads read only this way. */
    private void readCounts(List<ThreadWatch> live, List<ThreadWatch> viaMx) {
        List<ThreadWatch> wanted = new ArrayList<>(viaMx);
        List<ThreadWatch> candidates = new ArrayList<>(live.size());
        for (ThreadWatch w : live) {
            if (w.state != null && w.mayBeStuck()) {
                candidates.add(w);
            }
        }
        if (candidates.size() + wanted.size() > COUNT_ALL) {
            candidates.removeIf(w -> w.countRound >= 0 && nowNanos - w.countNanos < recountNanos);
        }
        if (candidates.size() + wanted.size() > COUNTS_PER_SAMPLE) {
            candidates.sort(Comparator.comparingLong(w -> w.countRound)); // never read (-1) first, then the oldest
        }
        for (ThreadWatch w : candidates) {
            if (wanted.size() >= COUNTS_PER_SAMPLE) {
                break;
            }
            wanted.add(w);
        }
        if (wanted.isEmpty()) {
            return;
        }
        long[] ids = new long[wanted.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = wanted.get(i).id;
        }
        ThreadInfo[] infos = mx.getThreadInfo(ids, 0);
        for (int i = 0; i < infos.length; i++) {
            ThreadInfo info = infos[i];
            ThreadWatch w = wanted.get(i);
            if (info == null) {
                continue;
            }
            if (w.state != info.getThreadState()) {
                // moved since its state was read, or read only here
                w.observe(info.getThreadState(), null, round, nowNanos);
            }
            w.counted(info.getWaitedCount() + info.getBlockedCount(), WaitTarget.of(info.getLockInfo()),
                    info.getLockOwnerId(), info.getLockOwnerName(), round, nowNanos);
        }
    }

    /** Stacks of the threads that moved, of running threads now and then, and of threads that must be read. */
    private void readStacks(List<ThreadWatch> live, Predicate<ThreadWatch> needsStack) {
        List<ThreadWatch> urgent = new ArrayList<>();
        List<ThreadWatch> refresh = new ArrayList<>();
        for (ThreadWatch w : live) {
            if (w.state == null) {
                continue;
            }
            boolean running = !w.waiting();
            if (w.moved && !running) {
                urgent.add(w);
            } else if (running && (w.moved || round - w.stackRound >= RUNNING_REFRESH || needsStack.test(w))) {
                refresh.add(w);
            } else if (!running && w.stackRound < 0 && needsStack.test(w)) {
                urgent.add(w);
            }
        }
        List<ThreadWatch> read = new ArrayList<>(Math.min(STACKS_PER_SAMPLE, urgent.size() + refresh.size()));
        if (urgent.size() > STACKS_PER_SAMPLE) {
            urgent.sort(Comparator.comparingLong(w -> w.sinceRound));
        }
        for (ThreadWatch w : urgent) {
            if (read.size() >= STACKS_PER_SAMPLE) {
                break;
            }
            read.add(w);
        }
        if (read.size() < STACKS_PER_SAMPLE) {
            refresh.sort(Comparator.comparingLong(w -> w.stackRound));
            for (ThreadWatch w : refresh) {
                if (read.size() >= STACKS_PER_SAMPLE) {
                    break;
                }
                read.add(w);
            }
        }
        stacks.read(read, round, nowNanos);
    }

    /**
     * Whether looking for deadlocks can find anything: some thread was blocked entering a monitor, or parked on a
     * lock that has an owner ({@code ReentrantLock}, a write lock), in this sample and the one before, in the same
     * wait. The search is a pause of a few milliseconds with many threads, so it is skipped otherwise.
     */
    boolean mayDeadlock(List<ThreadWatch> live) {
        for (ThreadWatch w : live) {
            if (w.sinceRound != round && (w.state == Thread.State.BLOCKED
                    || (w.state == Thread.State.WAITING && w.ownerId >= 0))) {
                return true;
            }
        }
        return false;
    }

    /** The current sample round (one per {@link #read}). */
    long round() {
        return round;
    }
}
