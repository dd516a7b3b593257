package io.threadleak.core.registry;

import io.threadleak.core.site.CreationSite;

/**
 * How one task came to be: who submitted it, from which task, to which executor, from where. Kept only for tasks
 * submitted while another task ran (nested submissions: the parent matters for cancellation) and, with
 * {@code stacks=all}, for every task. Dropped when the task is collected.
 */
public final class TaskLink {

    private final TaskNode parent;
    private final long submitterId;
    private final String submitterName;
    private final ExecutorRecord executor;
    private final CreationSite site;
    private final long submittedAtMillis;

    /**
     * @param parent   the task the submitting thread ran, or {@code null}
     * @param executor the executor it was submitted to, or {@code null} when unknown
     * @param site     where it was submitted ({@code stacks=all}), or {@code null}
     */
    public TaskLink(TaskNode parent, long submitterId, String submitterName, ExecutorRecord executor, CreationSite site,
                    long submittedAtMillis) {
        this.parent = parent;
        this.submitterId = submitterId;
        this.submitterName = submitterName;
        this.executor = executor;
        this.site = site;
        this.submittedAtMillis = submittedAtMillis;
    }

    /** The parent task, or {@code null} when there was none. */
    public TaskNode parent() {
        return parent;
    }

    public long submitterId() {
        return submitterId;
    }

    public String submitterName() {
        return submitterName;
    }

    public ExecutorRecord executor() {
        return executor;
    }

    public CreationSite site() {
        return site;
    }

    public long submittedAtMillis() {
        return submittedAtMillis;
    }
}
