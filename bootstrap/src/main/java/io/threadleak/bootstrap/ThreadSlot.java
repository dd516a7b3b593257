package io.threadleak.bootstrap;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What one thread is doing right now, written by that thread's hooks and read by the agent: the task it runs
 * ({@link #TASK}, or last ran: the sampler checks the stack), the future it blocks on ({@link #FUTURE}), and the
 * last {@link #CHILDREN} tasks it submitted while running that task (from {@link #FIRST_CHILD} on; cleared when
 * its next task starts), so that cancelling the task can tell its children. One per thread, made on its first hook call. Writes are plain or release stores, no
 * allocation: the task hooks run once per task, so they must cost next to nothing.
 *
 * <p>The agent sees it as an {@link AtomicReferenceArray}: only JDK types cross into the agent.
 */
final class ThreadSlot extends AtomicReferenceArray<Object> {

    /** Index of the task the thread runs ({@code FutureTask.run}/{@code runAndReset}), or {@code null}. */
    static final int TASK = 0;
    /** Index of the future the thread blocks on ({@code get()}/{@code join()}), or {@code null}. */
    static final int FUTURE = 1;
    /** Index of the first remembered child task. */
    static final int FIRST_CHILD = 2;
    /** How many child tasks of the running task are remembered (the most recent ones); a power of two. */
    static final int CHILDREN = 8;

    private static final long serialVersionUID = 1L;

    /** Non-zero while the thread is inside a hook: calls made then are ignored (no recursion). */
    int depth;
    /** Whether the agent has been handed this slot. */
    boolean announced;
    /** Child tasks submitted while running the current task. */
    int children;
    /** Set while this thread is inside {@code FutureTask.cancel}: the task, and what its runner's children were. */
    Object cancelling;
    Object cancellingChildren;
    Thread cancellingRunner;

    ThreadSlot() {
        super(FIRST_CHILD + CHILDREN);
    }

    /** Remembers a task submitted while the current task runs (overwriting the oldest beyond {@link #CHILDREN}). */
    void child(Object task) {
        setRelease(FIRST_CHILD + (children++ & (CHILDREN - 1)), task);
    }

    /** Forgets the children, as the next task starts. */
    void clearChildren() {
        if (children != 0) {
            children = 0;
            for (int i = FIRST_CHILD; i < FIRST_CHILD + CHILDREN; i++) {
                setRelease(i, null);
            }
        }
    }
}
