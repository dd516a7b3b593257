package io.threadleak.core.sample;

import java.util.Set;

/**
 * The JDK's own idle points, in one place: frames where a thread waits for work, not for a result: a pool
 * worker, timer or selector waiting for its next job, and any consumer waiting for its next item on the taking
 * side of a JDK blocking queue (pool worker or not: a client library's event thread in {@code take()} is idle).
 *
 * <p>Reading a stack from the top, skipping JDK frames: if an idle point comes before any non-JDK frame,
 * the thread is idle. A pool worker blocked inside a task has the task's (application) frames above the
 * pool's idle point and so is not idle.
 */
public final class IdlePoints {

    private static final Set<String> METHODS = Set.of(
            // ThreadPoolExecutor / ScheduledThreadPoolExecutor workers waiting for a task
            "java.util.concurrent.ThreadPoolExecutor.getTask",
            // ForkJoinPool workers (incl. the common pool and virtual thread carriers) waiting for work
            "java.util.concurrent.ForkJoinPool.awaitWork",
            // java.util.Timer thread waiting for its next task
            "java.util.TimerThread.mainLoop",
            // selectors waiting for I/O (NIO, the JDK HTTP server and client)
            "sun.nio.ch.SelectorImpl.lockAndDoSelect",
            "sun.nio.ch.SelectorImpl.select",
            // server sockets waiting for a connection
            "sun.nio.ch.NioSocketImpl.accept",
            "java.net.ServerSocket.implAccept",
            "sun.nio.ch.ServerSocketChannelImpl.accept",
            // consumers waiting for their next item: the taking side of the JDK's blocking queues. Only the
            // taking side: a producer blocked in put()/offer() on a full queue nobody drains is stuck, not idle.
            "java.util.concurrent.LinkedBlockingQueue.take",
            "java.util.concurrent.LinkedBlockingQueue.poll",
            "java.util.concurrent.ArrayBlockingQueue.take",
            "java.util.concurrent.ArrayBlockingQueue.poll",
            "java.util.concurrent.LinkedBlockingDeque.take",
            "java.util.concurrent.LinkedBlockingDeque.takeFirst",
            "java.util.concurrent.LinkedBlockingDeque.takeLast",
            "java.util.concurrent.LinkedBlockingDeque.poll",
            "java.util.concurrent.LinkedBlockingDeque.pollFirst",
            "java.util.concurrent.LinkedBlockingDeque.pollLast",
            "java.util.concurrent.PriorityBlockingQueue.take",
            "java.util.concurrent.PriorityBlockingQueue.poll",
            "java.util.concurrent.DelayQueue.take",
            "java.util.concurrent.DelayQueue.poll",
            "java.util.concurrent.SynchronousQueue.take",
            "java.util.concurrent.SynchronousQueue.poll",
            "java.util.concurrent.LinkedTransferQueue.take",
            "java.util.concurrent.LinkedTransferQueue.poll",
            "java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue.take",
            "java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue.poll",
            // JDK housekeepers waiting for their queue
            "java.lang.ref.ReferenceQueue.remove",
            "jdk.internal.ref.CleanerImpl.run",
            "java.lang.ProcessHandleImpl$ProcessReaper.run",
            "java.lang.ProcessImpl.waitForProcessExit0");

    /**
     * Idle points of widely used libraries' own pools, whose workers wait for work in the library's queue rather
     * than a JDK one. Reached only through JDK frames, like the JDK's.
     */
    private static final Set<String> LIBRARY_METHODS = Set.of(
            "org.eclipse.jetty.util.BlockingArrayQueue.poll",
            "org.eclipse.jetty.util.BlockingArrayQueue.take",
            "org.eclipse.jetty.util.thread.QueuedThreadPool$Runner.idleJobPoll",
            "org.eclipse.jetty.util.thread.ReservedThreadExecutor$ReservedThread.reservedWait",
            "org.apache.tomcat.util.threads.TaskQueue.take",
            "org.apache.tomcat.util.threads.TaskQueue.poll",
            "io.netty.util.concurrent.SingleThreadEventExecutor.takeTask",
            "io.netty.util.concurrent.GlobalEventExecutor.takeTask",
            "okhttp3.internal.concurrent.TaskRunner.awaitTaskToRun",
            "okio.AsyncTimeout$Companion.awaitTimeout");

    private IdlePoints() {
    }

    /** Whether the stack (innermost first) shows a thread at one of the JDK's idle points. */
    public static boolean isIdle(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            String cls = frame.getClassName();
            String method = cls + "." + frame.getMethodName();
            if (METHODS.contains(method) || LIBRARY_METHODS.contains(method)) {
                return true;
            }
            if (!isJdkClass(cls)) {
                return false;
            }
        }
        return false;
    }

    private static boolean isJdkClass(String cls) {
        return cls.startsWith("java.") || cls.startsWith("jdk.") || cls.startsWith("sun.") || cls.startsWith("javax.")
                || cls.startsWith("com.sun.");
    }

    /** Classifies a thread from its state and stack. */
    public static Activity classify(Thread.State state, StackTraceElement[] stack) {
        switch (state) {
            case BLOCKED:
                return Activity.BLOCKED;
            case WAITING:
            case TIMED_WAITING:
                if (isIdle(stack)) {
                    return Activity.IDLE;
                }
                return isSleeping(stack) ? Activity.SLEEPING : Activity.WAITING;
            default:
                return isIdle(stack) ? Activity.IDLE : Activity.RUNNING;
        }
    }

    private static boolean isSleeping(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().equals("java.lang.Thread")
                    && (frame.getMethodName().startsWith("sleep"))) {
                return true;
            }
            if (!isJdkClass(frame.getClassName())) {
                return false;
            }
        }
        return false;
    }
}
