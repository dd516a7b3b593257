package io.threadleak.core.sample;

import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * Whether an executor runs, is shutting down or has terminated. Asked only of the JDK's own executor classes:
 * a subclass may override {@code isShutdown()}, and the agent never calls application code, so an
 * application subclass is taken to be running until it is collected.
 */
enum ExecutorState {
    RUNNING,
    SHUT_DOWN,
    TERMINATED;

    private static final Set<String> JDK_EXECUTORS = Set.of(
            "java.util.concurrent.ThreadPoolExecutor",
            "java.util.concurrent.ScheduledThreadPoolExecutor",
            "java.util.concurrent.ForkJoinPool");

    /** Whether the executor is one of the JDK's own classes, which the agent may ask about. */
    static boolean isJdk(Object executor) {
        return executor instanceof ExecutorService && JDK_EXECUTORS.contains(executor.getClass().getName());
    }

    static ExecutorState of(Object executor) {
        if (!isJdk(executor)) {
            return RUNNING;
        }
        ExecutorService service = (ExecutorService) executor;
        if (service.isTerminated()) {
            return TERMINATED;
        }
        return service.isShutdown() ? SHUT_DOWN : RUNNING;
    }
}
