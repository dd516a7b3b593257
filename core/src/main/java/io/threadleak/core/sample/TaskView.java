package io.threadleak.core.sample;

import io.threadleak.core.site.CreationSite;

/**
 * A task as one sample saw it: the link in the cause chain thread → executor → task → submitting task/thread.
 *
 * @param task       the task object, by class and identity
 * @param body       the class of what it runs (the callable or runnable inside a {@code FutureTask}), or
 *                   {@code null} when unknown
 * @param state      where it is in its life
 * @param periodic   a periodic task of a {@code ScheduledThreadPoolExecutor}
 * @param executor   the executor it was submitted to ({@code FixedThreadPool#3 created at ...}), or {@code null}
 * @param submitter  the submitting thread ({@code "name" #id}), or {@code null} when not recorded
 * @param submitSite where it was submitted ({@code stacks=all}), or {@code null}
 * @param parent     the task that submitted it, or {@code null}
 */
public record TaskView(
        WaitTarget task,
        String body,
        TaskState state,
        boolean periodic,
        String executor,
        String submitter,
        CreationSite submitSite,
        TaskView parent) {

    /** A task that is not periodic. */
    public TaskView(WaitTarget task, String body, TaskState state, String executor, String submitter,
                    CreationSite submitSite, TaskView parent) {
        this(task, body, state, false, executor, submitter, submitSite, parent);
    }

    /** Whether this task itself was cancelled. */
    public boolean cancelled() {
        return state == TaskState.CANCELLED;
    }

    /** The nearest cancelled ancestor, or {@code null}. */
    public TaskView cancelledAncestor() {
        for (TaskView p = parent; p != null; p = p.parent) {
            if (p.state == TaskState.CANCELLED) {
                return p;
            }
        }
        return null;
    }

    /** {@code FutureTask@1b6d3586 (runs Orders$$Lambda)}. */
    public String describe() {
        return task + (body == null ? "" : " (runs " + body + (periodic ? ", periodic" : "") + ")");
    }
}
