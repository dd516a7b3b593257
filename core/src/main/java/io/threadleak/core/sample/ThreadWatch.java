package io.threadleak.core.sample;

import io.threadleak.core.registry.ThreadRecord;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What the sampler remembers of one live platform thread between samples, so that it reads a thread's stack and
 * wait count only when they can have changed. A thread that stays in the same state on the same park blocker,
 * with the same wait count, has not moved: its stack is the one read when the wait began. Holds the stack it
 * last read (interned: threads waiting at the same place share one array), never a previous sample.
 */
final class ThreadWatch {

    static final StackTraceElement[] NO_STACK = new StackTraceElement[0];

    final ThreadRecord record;
    final long id;
    /** Whether the thread is a daemon: fixed once it started. */
    final boolean daemon;
    /** The thread, as read off its record in the latest sample (dropped with the watch when the thread ends). */
    Thread thread;
    /** The record's task slot as read in the latest sample, or {@code null}. */
    AtomicReferenceArray<Object> slot;
    /** The name the thread had when {@link #exempt} was decided, or {@code null} before. */
    String name;
    /** Whether the thread is never a suspect (a JDK thread, or one the settings exempt), for {@link #name}. */
    boolean exempt;
    /** Counts the changes of what a snapshot shows (state, wait, count, owner, stack). */
    private int version;
    /** The latest snapshot made of this thread, and the {@link #version} it shows. */
    private ThreadSnapshot snapshot;
    private int snapshotVersion;
    /** The state of the latest sample, or {@code null} before the first. */
    Thread.State state;
    /** Identity hash of the park blocker of the latest sample, 0 when none. */
    int blocker;
    /** The object waited on: the park blocker, or the monitor the JVM names once the thread's info was read. */
    WaitTarget waitsOn;
    long ownerId = -1;
    String ownerName;
    /** Waited plus blocked count when last read, -1 while unknown (read only for threads that may be stuck). */
    long waitCount = -1;
    /** Sample round of the last wait-count read, -1 for never. */
    long countRound = -1;
    /** Time of the sample of the last wait-count read. */
    long countNanos;
    /** The stack read for the current state; {@link #NO_STACK} until one was read. */
    StackTraceElement[] stack = NO_STACK;
    /** Sample round the stack was read in, -1 for never. */
    long stackRound = -1;
    /** What the stack says the thread does; {@code null} until a stack was read for the current state. */
    Activity activity;
    /** Whether the state changed since the stack was read. */
    boolean moved = true;
    /** The latest sample round that saw the thread alive. */
    long seenRound;
    /** Sample round in which the current state (same blocker, same wait count) was first seen. */
    long sinceRound;
    /** The time of that sample. */
    long sinceNanos;

    ThreadWatch(ThreadRecord record) {
        this.record = record;
        this.id = record.id();
        this.daemon = record.daemon();
    }

    /**
     * The snapshot made in an earlier sample, when nothing it shows has changed since: the same state, wait, count,
     * owner and stack, under the same name. A caller that adds a task or future makes a new one.
     */
    ThreadSnapshot unchangedSnapshot(String currentName) {
        ThreadSnapshot s = snapshot;
        return s != null && snapshotVersion == version && s.name() == currentName ? s : null;
    }

    /** Keeps the snapshot just made, for {@link #unchangedSnapshot}. */
    ThreadSnapshot snapshot(ThreadSnapshot s) {
        snapshot = s;
        snapshotVersion = version;
        return s;
    }

    /** Remembers the thread's name and whether it is exempt under it. */
    void named(String newName, boolean isExempt) {
        name = newName;
        exempt = isExempt;
    }

    /** A state in which the thread waits, sleeps or is blocked. */
    boolean waiting() {
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.BLOCKED;
    }

    /** Whether the thread may be stuck: waiting or blocked, not at an idle point, not sleeping (or not yet known). */
    boolean mayBeStuck() {
        return waiting() && (activity == null || activity == Activity.WAITING || activity == Activity.BLOCKED);
    }

    /** Records the state and park blocker of this sample; a change means the stack must be read again. */
    void observe(Thread.State newState, Object parkBlocker, long round, long nanos) {
        int identity = parkBlocker == null ? 0 : System.identityHashCode(parkBlocker);
        if (newState != state || identity != blocker) {
            state = newState;
            blocker = identity;
            waitsOn = parkBlocker == null ? null : WaitTarget.ofObject(parkBlocker);
            ownerId = -1;
            ownerName = null;
            waitCount = -1;
            countRound = -1;
            activity = null;
            moved = true;
            sinceRound = round;
            sinceNanos = nanos;
            version++;
        }
    }

    /** Records a wait count read; a different count than last time means the thread woke up in between. */
    void counted(long count, WaitTarget lock, long owner, String name, long round, long nanos) {
        if (waitCount >= 0 && count != waitCount) {
            moved = true;
            activity = null;
            sinceRound = round;
            sinceNanos = nanos;
        }
        if (count != waitCount || (lock != null && !lock.equals(waitsOn)) || owner != ownerId
                || !Objects.equals(name, ownerName)) {
            version++;
        }
        waitCount = count;
        countRound = round;
        countNanos = nanos;
        if (lock != null) {
            waitsOn = lock;
        }
        ownerId = owner;
        ownerName = name;
    }

    /** Records a stack read for the current state. */
    void stacked(StackTraceElement[] newStack, Activity newActivity, long round) {
        stack = newStack;
        activity = newActivity;
        stackRound = round;
        moved = false;
        version++;
    }
}
