package io.threadleak.core.sample;

/** What a sampled thread is doing, as far as the leak rules care. */
public enum Activity {
    /** On CPU or in native code. Never stuck. */
    RUNNING,
    /** At one of the JDK's own idle points: a pool worker waiting for work, a timer waiting for its next
     *  task, a selector waiting for I/O. Never stuck, never a leak by itself. */
    IDLE,
    /** In {@code Thread.sleep}: a poll or back-off loop, not waiting on anything. Never stuck. */
    SLEEPING,
    /** Waiting on an object (monitor wait, park on a lock, latch, queue or future). */
    WAITING,
    /** Blocked entering a monitor held by another thread. */
    BLOCKED
}
