package io.threadleak.core.registry;

import java.lang.ref.WeakReference;

/**
 * A task that submitted other tasks, as its children remember it: the task itself weakly, and what must outlive
 * it, whether it was cancelled. A parent cancelled and then collected still tells its running children that they
 * were cancelled. Owned by the agent; held by the children's {@link TaskLink}s.
 */
public final class TaskNode {

    /**
     * Ancestors a node remembers at most. A task that resubmits itself from its own run (a self-rescheduling
     * loop) makes an endless chain; cut there, the agent's memory stays bounded by the live tasks.
     */
    static final int MAX_DEPTH = 8;

    private final WeakReference<Object> task;
    private final String className;
    private final int identity;
    private final TaskNode parent;
    private final int depth;
    private volatile boolean cancelled;
    private volatile String body;

    TaskNode(Object task, TaskNode parent) {
        this.task = new WeakReference<>(task);
        this.className = task.getClass().getName();
        this.identity = System.identityHashCode(task);
        this.parent = parent == null || parent.depth >= MAX_DEPTH ? null : parent;
        this.depth = this.parent == null ? 0 : this.parent.depth + 1;
    }

    /** The task, or {@code null} once collected. */
    public Object task() {
        return task.get();
    }

    public String className() {
        return className;
    }

    public int identity() {
        return identity;
    }

    /** The task that submitted this one, or {@code null} (also beyond {@link #MAX_DEPTH} ancestors). */
    public TaskNode parent() {
        return parent;
    }

    /** Whether its future was cancelled (seen by the cancel hook or by the sampler). */
    public boolean cancelled() {
        return cancelled;
    }

    public void markCancelled() {
        cancelled = true;
    }

    /** The class of what it runs, once the sampler has seen it; else {@code null}. */
    public String body() {
        return body;
    }

    public void body(String body) {
        this.body = body;
    }
}
