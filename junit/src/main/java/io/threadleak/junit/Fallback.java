package io.threadleak.junit;

import io.threadleak.api.Leftover;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Without the agent: live platform threads compared before and after each test. It cannot tell who created a thread
 * (so parallel execution is not supported: another test's threads would count), and sees no virtual threads; a
 * warning, once per JVM, says how to add the agent.
 */
final class Fallback {

    static final String HOW_TO_ADD = "add the agent to the test JVM: Maven Surefire <argLine>-javaagent:"
            + "${settings.localRepository}/io/threadleak/threadleak-agent/<version>/threadleak-agent-<version>.jar"
            + "</argLine>, Gradle test { jvmArgs \"-javaagent:/path/to/threadleak-agent.jar\" } (see docs/junit.md)";
    static final String NO_AGENT = "threadleak: the agent is not loaded, so @ThreadLeakCheck compares live threads "
            + "before and after each test: no creation stacks, no executors or timers, no virtual threads, and no "
            + "check under parallel execution. For all of it, " + HOW_TO_ADD;
    static final String PARALLEL = "threadleak: the agent is not loaded and tests run in parallel, so "
            + "@ThreadLeakCheck checks nothing (comparing live threads would blame one test for another's). "
            + "To check, " + HOW_TO_ADD;

    /** JDK and test-framework threads that start on their own while tests run. */
    private static final List<String> IGNORED_PREFIXES = List.of("ForkJoinPool.commonPool-worker-",
            "junit-jupiter-timeout-watcher", "process reaper", "Common-Cleaner", "Attach Listener", "Signal Dispatcher",
            "Notification Thread", "surefire-forkedjvm-", "JFR ", "RMI ", "InnocuousThread-");

    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private Fallback() {
    }

    /** Prints the warning unless one was printed already; returns whether it printed it. */
    static boolean warnOnce(String warning) {
        if (WARNED.compareAndSet(false, true)) {
            System.err.println(warning);
            return true;
        }
        return false;
    }

    /** For tests: the next warning prints again. */
    static void resetWarning() {
        WARNED.set(false);
    }

    /** The live platform threads. */
    static List<Thread> liveThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] all = new Thread[root.activeCount() * 2 + 16];
        int n = root.enumerate(all, true);
        return Arrays.asList(all).subList(0, n);
    }

    /** The live threads not in {@code before}, as leftovers with their current stacks. */
    static List<Leftover> newThreads(Set<Thread> before) {
        List<Leftover> out = new ArrayList<>();
        for (Thread t : liveThreads()) {
            if (before.contains(t) || !t.isAlive() || ignored(t.getName())) {
                continue;
            }
            StackTraceElement[] stack = t.getStackTrace();
            out.add(new Leftover("thread", t.getName(), t.getState().name(), blame(stack), List.of(),
                    List.of(stack), List.of(t), true));
        }
        return out;
    }

    private static boolean ignored(String name) {
        for (String p : IGNORED_PREFIXES) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** Without a creation stack, the first non-JDK frame the thread runs is the best hint. */
    private static String blame(StackTraceElement[] stack) {
        for (StackTraceElement f : stack) {
            String c = f.getClassName();
            if (!c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("sun.")) {
                return f + " (running; where it was created needs the agent)";
            }
        }
        return "<unknown: where it was created needs the agent>";
    }
}
