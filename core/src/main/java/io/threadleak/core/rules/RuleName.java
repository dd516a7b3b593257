package io.threadleak.core.rules;

/** The rules of spec §3. */
public enum RuleName {
    /** Live threads, executors, timers or queued tasks from one creation site keep rising. */
    GROWING,
    /** A thread or running task waits on the same object, unchanged, for longer than {@code stuckAfter}. */
    STUCK,
    /** Threads wait on each other's monitors or locks in a cycle. */
    DEADLOCK,
    /** Tasks stay queued while every worker of their executor is busy or blocked and none completes. */
    STARVED,
    /** A task whose future, or whose parent task, was cancelled is still running. */
    CANCEL_IGNORED,
    /** {@code main} returned but non-daemon threads keep the JVM alive. */
    EXIT_BLOCKED,
    /** Threads created inside a scope (a request, a test) are alive longer than {@code scopeLinger} after it
     *  closed. */
    SCOPE_LEAK
}
