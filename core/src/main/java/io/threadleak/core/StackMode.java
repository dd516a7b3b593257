package io.threadleak.core;

/** How creation stacks are captured ({@code stacks=} option). */
public enum StackMode {
    /** Capture up to {@code stackDepth} frames for every thread start (the default). */
    THREADS,
    /** Capture nothing: creation sites are unknown and only stuck/deadlock/exit rules can blame anything. */
    NONE
}
