package io.threadleak.bootstrap;

import java.util.List;

/**
 * What the agent does when instrumented JDK code reports a thread or executor event.
 *
 * <p>Lives in the bootstrap class loader next to {@link ThreadLeakBridge}; only JDK types cross it.
 * Implementations must not block, must not start threads and must not call application code.
 */
public interface ThreadHooks {

    /**
     * Called in the starting thread, on entry to {@code Thread.start}, before the new thread runs.
     *
     * @param head the starter's stack from {@code Thread.start} down to the first frame for which
     *             {@link #endsCreationStack} holds (or {@link #creationStackDepth} frames), walked by the bridge
     *             itself so that the agent's own frames are not walked; {@code null} when stacks are off
     */
    void threadStarting(Thread thread, List<StackWalker.StackFrame> head);

    /** Whether the thread is already recorded (a start method that delegates to another reports it twice). */
    boolean isTracked(Thread thread);

    /** Whether a frame of this class ends the head of a creation stack: the first frame that can be blamed. */
    boolean endsCreationStack(String className);

    /** How many frames of a creation stack to collect at most; 0 for none. */
    int creationStackDepth();

    /** Called in the ending thread, on entry to {@code Thread.exit} or the virtual thread's end. */
    void threadExiting(Thread thread);

    /** Called as a {@code ThreadPoolExecutor} or {@code ForkJoinPool} constructor returns (possibly more than
     *  once for one executor, when constructors delegate). */
    void executorCreated(Object executor);

    /** Called in a pool worker thread as it starts running its executor's work loop. */
    void workerRunning(Object executor);
}
