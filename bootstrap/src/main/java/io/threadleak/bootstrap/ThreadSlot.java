package io.threadleak.bootstrap;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What one thread is doing right now, written by that thread's hooks and read by the agent's sampler: the task
 * it runs ({@link #TASK}) and the future it blocks on ({@link #FUTURE}). One per thread, made on its first
 * hook call. Writes are release stores (plain stores on x86): the task hooks run once per task, so they
 * must cost next to nothing.
 *
 * <p>The sampler sees it as an {@link AtomicReferenceArray}: only JDK types cross into the agent.
 */
final class ThreadSlot extends AtomicReferenceArray<Object> {

    /** Index of the task the thread runs ({@code FutureTask.run}/{@code runAndReset}), or {@code null}. */
    static final int TASK = 0;
    /** Index of the future the thread blocks on ({@code get()}/{@code join()}), or {@code null}. */
    static final int FUTURE = 1;

    private static final long serialVersionUID = 1L;

    /** Non-zero while the thread is inside a hook: calls made then are ignored (no recursion). */
    int depth;
    /** Whether the agent has been handed this slot. */
    boolean announced;

    ThreadSlot() {
        super(2);
    }
}
