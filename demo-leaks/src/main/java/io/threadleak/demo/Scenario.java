package io.threadleak.demo;

import java.time.Duration;

/**
 * One runnable concurrency bug and its fixed twin.
 *
 * <p>The thread that leaks or gets stuck is started directly by a named method of the scenario class,
 * so that method is where the agent must blame it: the first application frame on the stack when
 * {@code Thread.start()} was called.
 */
public interface Scenario {

    /** Command-line name, e.g. {@code no-exit-path}. */
    String name();

    /** The rule the agent must report for the leaky variant, e.g. {@code GROWING}. */
    String rule();

    /** The method the agent must blame, as {@code fully.qualified.Class.method}. */
    String blame();

    /** One line saying what goes wrong. */
    String description();

    /**
     * Runs the leaky variant, or the fixed twin, for about {@code duration}, then returns. The leaky
     * variant shows its problem within the first ~500 ms. The fixed twin has ended every thread it
     * started before it returns.
     */
    void run(boolean fixed, Duration duration) throws InterruptedException;
}
