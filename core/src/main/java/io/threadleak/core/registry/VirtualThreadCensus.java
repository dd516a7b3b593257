package io.threadleak.core.registry;

import java.util.function.Consumer;

/**
 * What the JDK itself knows of its virtual threads, read without calling application code: the task a virtual
 * thread was given, and every live virtual thread it tracks (with {@code jdk.trackAllThreads}, on by default, the JDK
 * keeps each one in a thread container). With it, the agent need not keep a record of every virtual thread as it
 * starts (see {@link UnrecordedVirtualThreads}). The agent's implementation reads JDK-private state; {@link #NONE}
 * knows nothing, and then every virtual thread is recorded as it starts.
 */
public interface VirtualThreadCensus {

    /** Whether this census can name the task of a virtual thread and list the live ones. */
    boolean available();

    /**
     * The application task the virtual thread was given, unwrapped from the JDK's executor wrappers as for start
     * keys; {@code null} when unknown.
     */
    Object task(Thread virtualThread);

    /** Calls {@code action} with every live virtual thread the JDK tracks, on the calling thread. */
    void forEachLive(Consumer<Thread> action);

    /**
     * A virtual thread was just made with this task (its constructor's hook): a census that reads the task from
     * JDK-private state may check itself against it before it is trusted.
     */
    default void check(Thread virtualThread, Object task) {
    }

    /** Knows nothing. */
    VirtualThreadCensus NONE = new VirtualThreadCensus() {
        @Override
        public boolean available() {
            return false;
        }

        @Override
        public Object task(Thread virtualThread) {
            return null;
        }

        @Override
        public void forEachLive(Consumer<Thread> action) {
        }
    };
}
