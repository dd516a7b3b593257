package io.threadleak.core.sample;

/**
 * Reads the JDK-private state of tasks and futures (the agent reads the fields; nothing is called on the
 * objects, which could run application code). {@link #NONE} knows nothing: without it the agent still reports
 * threads, executors and the futures they block on, only without their state.
 */
public interface TaskFields {

    /** {@code FutureTask} state (0 new ... 6 interrupted), or -1 when unknown or not a {@code FutureTask}. */
    int futureTaskState(Object task);

    /** The thread running a {@code FutureTask}, or {@code null}. */
    Thread futureTaskRunner(Object task);

    /** What a {@code FutureTask} runs (the callable, or the runnable it adapts), or {@code null}. */
    Object futureTaskBody(Object task);

    /** Whether a {@code CompletableFuture} is complete, or {@code null} when unknown. */
    Boolean completableDone(Object future);

    /** The future that an async {@code CompletableFuture} task completes, or {@code null}. */
    Object asyncTarget(Object task);

    /**
     * The application's task inside what a new thread runs: the runnable a thread-per-task executor wraps, what a
     * {@code FutureTask} runs; otherwise {@code task} itself.
     */
    default Object startTarget(Object task) {
        return task;
    }

    /**
     * What a platform thread's start key comes from: the thread itself when its class is a subclass of
     * {@code Thread} (its class tells where it is started), else the task it was given; {@code null} when unknown.
     */
    default Object threadTask(Thread thread) {
        return null;
    }

    /** Knows nothing. */
    TaskFields NONE = new TaskFields() {
        @Override
        public int futureTaskState(Object task) {
            return -1;
        }

        @Override
        public Thread futureTaskRunner(Object task) {
            return null;
        }

        @Override
        public Object futureTaskBody(Object task) {
            return null;
        }

        @Override
        public Boolean completableDone(Object future) {
            return null;
        }

        @Override
        public Object asyncTarget(Object task) {
            return null;
        }
    };
}
