package io.threadleak.bootstrap;

/**
 * What the agent does when instrumented JDK code reports a thread or executor event.
 *
 * <p>Lives in the bootstrap class loader next to {@link ThreadLeakBridge}; only JDK types cross it.
 * Implementations must not block, must not start threads and must not call application code.
 */
public interface ThreadHooks {

    /** Called in the starting thread, on entry to {@code Thread.start}, before the new thread runs. */
    void threadStarting(Thread thread);

    /** Called in the ending thread, on entry to {@code Thread.exit} or the virtual thread's end. */
    void threadExiting(Thread thread);

    /** Called as a {@code ThreadPoolExecutor} or {@code ForkJoinPool} constructor returns (possibly more than
     *  once for one executor, when constructors delegate). */
    void executorCreated(Object executor);

    /** Called in a pool worker thread as it starts running its executor's work loop. */
    void workerRunning(Object executor);
}
