package io.threadleak.core;

/** How creation stacks are captured ({@code stacks=} option). */
public enum StackMode {
    /**
     * Capture up to {@code stackDepth} frames for every thread start, executor and timer (the default). Tasks
     * carry no stack: a nested submission records its parent task and submitting thread only.
     */
    THREADS,
    /** As {@link #THREADS}, and every task submitted to a {@code ThreadPoolExecutor} records its submit site. */
    ALL,
    /** Capture nothing: creation sites are unknown and only stuck/deadlock/exit rules can blame anything. */
    NONE
}
