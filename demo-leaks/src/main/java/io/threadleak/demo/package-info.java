/**
 * Runnable demos of the classic thread leaks, each with a fixed twin, for trying out and testing the
 * threadleak agent.
 *
 * <p>Each {@link io.threadleak.demo.Scenario} reproduces one pitfall of the project spec (section 4)
 * with plain threads, names the rule the agent must report and the method it must blame (the scenario
 * method that calls {@code Thread.start()}), and runs for a bounded time. Leaky variants leave their
 * leaked, stuck or deadlocked threads as daemons so the JVM still exits; only {@code forgotten-thread}
 * keeps it alive on purpose, for a bounded time. Fixed twins must give the agent nothing to report.
 *
 * <p>The module has no dependencies, not even on the agent: run
 * {@code java -jar threadleak-demo-leaks.jar list} to see the scenarios, and attach the agent with
 * {@code -javaagent:} to watch it find them. See {@link io.threadleak.demo.DemoMain} for the command line.
 */
package io.threadleak.demo;
