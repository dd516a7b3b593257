package io.threadleak.agent.internal;

import java.util.List;
import java.util.Set;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Where the hooks go: the JDK classes and methods, and which bridge method each calls. Hook points were checked with
 * {@code javap -p} on JDK 17 and 25; {@link ClassShape} checks them again on the running JDK before any is woven.
 */
final class HookPoints {

    static final String THREAD = "java/lang/Thread";
    static final String VIRTUAL_THREAD = "java/lang/VirtualThread";
    static final String TPE = "java/util/concurrent/ThreadPoolExecutor";
    static final String FJP = "java/util/concurrent/ForkJoinPool";
    static final String STPE = "java/util/concurrent/ScheduledThreadPoolExecutor";
    static final String FUTURE_TASK = "java/util/concurrent/FutureTask";
    static final String COMPLETABLE = "java/util/concurrent/CompletableFuture";
    static final String TIMER = "java/util/Timer";
    static final Set<String> TARGETS = Set.of(THREAD, VIRTUAL_THREAD, TPE, FJP, STPE, FUTURE_TASK,
            COMPLETABLE, TIMER);
    static final String BRIDGE = "io/threadleak/bootstrap/ThreadLeakBridge";
    /** The one TPE constructor the others delegate to (on JDK 17 and 25). */
    static final String TPE_CONSTRUCTOR = "(IIJLjava/util/concurrent/TimeUnit;"
            + "Ljava/util/concurrent/BlockingQueue;Ljava/util/concurrent/ThreadFactory;"
            + "Ljava/util/concurrent/RejectedExecutionHandler;)V";

    /**
     * The {@code VirtualThread} constructor the others delegate to (JDK 21 to 25). Optional: on a JDK without it the
     * class keeps its other hooks and every virtual thread start is walked.
     */
    static final String VIRTUAL_THREAD_CONSTRUCTOR =
            "(Ljava/util/concurrent/Executor;Ljava/lang/String;ILjava/lang/Runnable;)V";

    private HookPoints() {
    }

    /**
     * Where a hook goes and which bridge method it calls: on entry, or before every return; with {@code this}
     * or, for task submissions, {@code this} and the submitted task (local {@code taskSlot}).
     */
    record Hook(String bridgeMethod, boolean atReturn, int taskSlot) {
        Hook(String bridgeMethod, boolean atReturn) {
            this(bridgeMethod, atReturn, -1);
        }

        String descriptor() {
            return BridgeCheck.DESCRIPTORS.get(bridgeMethod);
        }
    }

    /**
     * The hook a method gets, or {@code null}:
     * <ul>
     * <li>{@code Thread.start()}, {@code Thread.start(ThreadContainer)} (21+: thread-per-task executors call
     *     it directly), the same two on {@code VirtualThread}: {@code threadStarting} on entry;</li>
     * <li>the {@code VirtualThread} constructor that takes the task ({@link #VIRTUAL_THREAD_CONSTRUCTOR}):
     *     {@code virtualThreadCreated(this, task)} before returning;</li>
     * <li>{@code Thread.exit()} (private; the VM calls it as a platform thread ends): {@code threadExiting} on
     *     entry; {@code VirtualThread.afterDone(boolean)}: {@code threadExiting} before returning, after the JDK has
     *     woken the threads joining it, so that the agent's bookkeeping is not in their wait;</li>
     * <li>the {@code ThreadPoolExecutor} constructor the others delegate to, and every {@code ForkJoinPool}
     *     constructor (the tracker ignores repeats): {@code executorCreated} before each return;</li>
     * <li>{@code ThreadPoolExecutor.runWorker(Worker)} and {@code ForkJoinPool.runWorker(WorkQueue)}, which
     *     a new worker thread enters: {@code workerRunning} on entry.</li>
     * </ul>
     * {@link #hooksFor} adds the task and future hooks, several per method where a method is entered and left:
     * <ul>
     * <li>{@code ThreadPoolExecutor.execute(Runnable)} (every {@code submit}/{@code invoke*} goes through it)
     *     and {@code ScheduledThreadPoolExecutor.delayedExecute} (every {@code schedule*}):
     *     {@code taskSubmitted(this, task)} on entry (it remembers nested submissions in the thread's slot and
     *     calls the agent only with {@code stacks=all}). Fork-join submissions are not hooked: on JDK 21+ the
     *     virtual thread scheduler is a {@code ForkJoinPool} and every unpark would pay for it;</li>
     * <li>{@code FutureTask.run()} and {@code runAndReset()} (periodic tasks): {@code taskRunning} on entry
     *     (nothing as they end: the sampler tells a finished task from the stack);</li>
     * <li>{@code FutureTask.cancel(boolean)}: {@code taskCancelling(this, this.runner)} on entry and
     *     {@code taskCancelled(result, this)} before each return;</li>
     * <li>{@code FutureTask.awaitDone}, {@code CompletableFuture.waitingGet}/{@code timedGet} (only reached
     *     when the result is not there yet): {@code futureWaiting} on entry, {@code futureWaitDone} before
     *     each return;</li>
     * <li>every {@code java.util.Timer} constructor: {@code timerCreated(this, this.thread)} before returning.</li>
     * </ul>
     */
    static List<Hook> hooksFor(String className, String method, String descriptor, int access) {
        if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_STATIC)) != 0) {
            return List.of();
        }
        switch (className + "." + method) {
            case TPE + ".execute":
                return descriptor.equals("(Ljava/lang/Runnable;)V")
                        ? List.of(new Hook("taskSubmitted", false, 1)) : List.of();
            case STPE + ".delayedExecute":
                return descriptor.equals("(Ljava/util/concurrent/RunnableScheduledFuture;)V")
                        ? List.of(new Hook("taskSubmitted", false, 1)) : List.of();
            case FUTURE_TASK + ".run":
            case FUTURE_TASK + ".runAndReset":
                return descriptor.equals("()V") || descriptor.equals("()Z")
                        ? List.of(new Hook("taskRunning", false)) : List.of();
            case FUTURE_TASK + ".cancel":
                return descriptor.equals("(Z)Z")
                        ? List.of(new Hook("taskCancelling", false), new Hook("taskCancelled", true)) : List.of();
            case FUTURE_TASK + ".awaitDone":
                return descriptor.equals("(ZJ)I") ? waitHooks() : List.of();
            case COMPLETABLE + ".waitingGet":
                return descriptor.equals("(Z)Ljava/lang/Object;") ? waitHooks() : List.of();
            case COMPLETABLE + ".timedGet":
                return descriptor.equals("(J)Ljava/lang/Object;") ? waitHooks() : List.of();
            case TIMER + ".<init>":
                return List.of(new Hook("timerCreated", true));
            default:
                Hook hook = hookFor(className, method, descriptor, access);
                return hook == null ? List.of() : List.of(hook);
        }
    }

    private static List<Hook> waitHooks() {
        return List.of(new Hook("futureWaiting", false), new Hook("futureWaitDone", true));
    }

    static Hook hookFor(String className, String method, String descriptor, int access) {
        if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_STATIC)) != 0) {
            return null;
        }
        switch (className + "." + method) {
            case THREAD + ".start":
            case VIRTUAL_THREAD + ".start":
                return descriptor.equals("()V") || descriptor.equals("(Ljdk/internal/vm/ThreadContainer;)V")
                        ? new Hook("threadStarting", false) : null;
            case THREAD + ".exit":
                return descriptor.equals("()V") ? new Hook("threadExiting", false) : null;
            case VIRTUAL_THREAD + ".<init>":
                return descriptor.equals(VIRTUAL_THREAD_CONSTRUCTOR) ? new Hook("virtualThreadCreated", true, 4) : null;
            case VIRTUAL_THREAD + ".afterDone":
                return descriptor.equals("(Z)V") ? new Hook("threadExiting", true) : null;
            case TPE + ".<init>":
                return descriptor.equals(TPE_CONSTRUCTOR) ? new Hook("executorCreated", true) : null;
            case FJP + ".<init>":
                return new Hook("executorCreated", true);
            case TPE + ".runWorker":
                return descriptor.equals("(L" + TPE + "$Worker;)V") ? new Hook("workerRunning", false) : null;
            case FJP + ".runWorker":
                return descriptor.equals("(L" + FJP + "$WorkQueue;)V") ? new Hook("workerRunning", false) : null;
            default:
                return null;
        }
    }
}
