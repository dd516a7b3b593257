package io.threadleak.core.registry;

import java.util.Arrays;

/** The JVM's live platform threads, as the thread groups list them (no VM operation, no pause). */
public final class JvmThreads {

    private JvmThreads() {
    }

    /** The root thread group, where the JDK's own threads live. */
    public static ThreadGroup root() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        return root;
    }

    /** Every live platform thread. */
    public static Thread[] all() {
        ThreadGroup root = root();
        Thread[] threads = new Thread[root.activeCount() + 64];
        int n;
        while ((n = root.enumerate(threads, true)) == threads.length) {
            threads = new Thread[threads.length * 2];
        }
        return Arrays.copyOf(threads, n);
    }

    /**
     * A record for a live thread the agent did not see starting: JDK and VM threads (never suspects) and
     * application threads that existed before the agent or were attached to the JVM from native code.
     */
    public static ThreadRecord unseen(Thread t, long id, long epochMillis, long nanos) {
        ThreadGroup g = t.getThreadGroup();
        boolean system = g == null || g == root() || t.getClass().getName().startsWith("jdk.internal.");
        return new ThreadRecord(t, id, t.getName(), false, t.isDaemon(), null, -1, null, epochMillis, nanos,
                system ? ThreadRecord.Origin.SYSTEM : ThreadRecord.Origin.PREEXISTING);
    }
}
