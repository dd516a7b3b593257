package io.threadleak.core.rules;

/** The rules of spec §3. */
public enum RuleName {
    /** Live threads from one creation site keep rising. */
    GROWING,
    /** A thread waits on the same object, unchanged, for longer than {@code stuckAfter}. */
    STUCK,
    /** Threads wait on each other's monitors or locks in a cycle. */
    DEADLOCK,
    /** {@code main} returned but non-daemon threads keep the JVM alive. */
    EXIT_BLOCKED
}
