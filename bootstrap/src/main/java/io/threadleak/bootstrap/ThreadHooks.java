package io.threadleak.bootstrap;

import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

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
     * @param key  the thread's start key ({@link #startKey}), or {@code null}
     */
    void threadStarting(Thread thread, List<StackWalker.StackFrame> head, Object key);

    /**
     * Called in the thread constructing a virtual thread, as the constructor returns, with the task it was given:
     * an opaque key that the thread's creation site may be known by without a walk (from the class of the
     * application task it runs), or {@code null}. Handed back to {@link #threadStartingKnown} and
     * {@link #threadStarting} when the same thread starts that virtual thread.
     */
    Object startKey(Thread virtualThread, Object task);

    /**
     * Called in the thread starting a platform thread that is not recorded yet, on entry to {@code Thread.start}:
     * the key the thread's creation site may be known by without a walk (from the class of an application
     * {@code Thread} subclass, else of the task it runs), or {@code null}. Handed to {@link #threadStartingKnown}
     * and {@link #threadStarting} as {@link #startKey}'s are.
     */
    Object platformStartKey(Thread thread);

    /**
     * Called instead of a walk where a start key is known: records the thread at the site the key knows and
     * returns {@code true}, or returns {@code false} (recording nothing) when this start must be walked.
     *
     * @param needsRecord whether the thread must be recorded now: the program uses scopes, and a scope's threads
     *                    are found by their records (otherwise a virtual thread may be counted without one)
     */
    boolean threadStartingKnown(Thread thread, Object key, boolean needsRecord);

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

    /**
     * Called as a task is handed to an executor, when {@link #tasksWithStacks} holds.
     *
     * @param executor the executor, or {@code null}
     * @param parent   the task the submitting thread runs, or {@code null}
     * @param head     the submitter's stack head (as for threads) when {@link #tasksWithStacks}, else {@code null}
     */
    void taskSubmitted(Object executor, Object task, Object parent, List<StackWalker.StackFrame> head);

    /**
     * Called as {@code FutureTask.cancel} starts on a task that a thread runs: what that thread's slot holds as the
     * children of its task (submitted while it ran), copied, or {@code null}. Handed back to
     * {@link #taskCancelled} if the cancellation succeeds.
     */
    Object childrenOf(Thread runner);

    /**
     * Called as {@code FutureTask.cancel} succeeded on {@code task}.
     *
     * @param runner   the thread that ran it when the cancellation began, or {@code null}
     * @param children what {@link #childrenOf} returned for it, or {@code null}
     */
    void taskCancelled(Object task, Thread runner, Object children);

    /** Whether every task submission is recorded with its stack (asked once, at install). */
    boolean tasksWithStacks();

    /**
     * Hands over a thread's slot, once, on the thread's first task or future hook, laid out as
     * {@link ThreadSlotLayout} says. The agent may empty entries that are over with compare-and-set, and must not
     * write anything else into it.
     */
    void threadSlot(Thread thread, AtomicReferenceArray<Object> slot);

    /** Called as a {@code java.util.Timer} constructor returns (possibly more than once per timer). */
    void timerCreated(Object timer, Thread timerThread);

    /**
     * Called right after {@link #threadStarting}, once the program has opened a scope ({@link ScopeBridge}): the
     * scope open on the starting thread, or {@code null} (then the new thread belongs to the starter's scope, if any).
     */
    default void threadScoped(Thread thread, Object scope) {
    }

    /** What {@link ScopeBridge#leftovers} answers for a scope; {@code null} when unknown. */
    default Object[] scopeLeftovers(Object scope) {
        return null;
    }
}
