package io.threadleak.core.sample;

/** Where a task is in its life, as far as the sampler can tell. */
public enum TaskState {
    /** Not started; waiting in an executor's queue. */
    QUEUED,
    /** A thread runs it now. */
    RUNNING,
    /** Not started, and in no tracked executor's queue: nothing will run it. */
    NOT_SUBMITTED,
    DONE,
    FAILED,
    CANCELLED,
    UNKNOWN;

    /** From a {@code FutureTask} state number and whether a thread runs it. */
    static TaskState ofFutureTask(int state, boolean hasRunner) {
        switch (state) {
            case 0:
                return hasRunner ? RUNNING : QUEUED;
            case 1:
            case 2:
                return DONE;
            case 3:
                return FAILED;
            case 4:
            case 5:
            case 6:
                return CANCELLED;
            default:
                return UNKNOWN;
        }
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
