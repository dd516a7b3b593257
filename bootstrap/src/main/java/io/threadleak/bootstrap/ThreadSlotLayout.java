package io.threadleak.bootstrap;

/**
 * Where things are in a thread's slot: the one layout the bridge writes and the agent's sampler reads. Core
 * code compiles against these constants (they are inlined), so the two sides cannot drift apart.
 */
public final class ThreadSlotLayout {

    /** The task the thread runs ({@code FutureTask.run}/{@code runAndReset}), or last ran, or {@code null}. */
    public static final int TASK = 0;
    /** The future the thread blocks on ({@code get()}/{@code join()}), or last blocked on, or {@code null}. */
    public static final int FUTURE = 1;
    /** The first of the child tasks submitted while the thread runs its current task. */
    public static final int FIRST_CHILD = 2;
    /** How many child tasks are remembered (the most recent ones); a power of two. */
    public static final int CHILDREN = 8;
    /** The slot's length. */
    public static final int LENGTH = FIRST_CHILD + CHILDREN;

    private ThreadSlotLayout() {
    }
}
