package io.threadleak.core.registry;

import io.threadleak.core.Clock;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.SiteTable;
import io.threadleak.core.site.StackCapture;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Turns task hooks into records. The bridge calls {@link #taskSubmitted} only for nested submissions (the
 * submitting thread runs a task) or with {@code stacks=all}; everything a task does later is read by the sampler
 * from the thread slots handed over by {@link #threadSlot}.
 */
public final class TaskTracker {

    private final WeakIdentityMap<TaskLink> links = new WeakIdentityMap<>();
    private final WeakIdentityMap<TaskNode> parents = new WeakIdentityMap<>();
    private final ThreadRegistry threads;
    private final ExecutorRegistry executors;
    private final SiteTable sites;
    private final StackCapture capture;
    private final Clock clock;

    /**
     * @param capture the stack capture, or {@code null} when creation stacks are off
     */
    public TaskTracker(ThreadRegistry threads, ExecutorRegistry executors, SiteTable sites, StackCapture capture,
                       Clock clock) {
        this.threads = threads;
        this.executors = executors;
        this.sites = sites;
        this.capture = capture;
        this.clock = clock;
    }

    /**
     * Records a task being handed to an executor on the current thread.
     *
     * @param parent the task the current thread runs, or {@code null}
     * @param head   the submitter's stack head when submit stacks are captured, else {@code null}
     */
    public void taskSubmitted(Object executor, Object task, Object parent, List<StackWalker.StackFrame> head) {
        if (task == null) {
            return;
        }
        Thread submitter = Thread.currentThread();
        ThreadRecord submitterRecord = threads.get(ThreadIds.of(submitter));
        CreationSite site = null;
        if (head != null && capture != null) {
            site = sites.intern(StackCapture.of(head), capture,
                    submitterRecord == null ? null : submitterRecord.site());
        }
        links.putIfAbsent(task, new TaskLink(parent == null ? null : node(parent), ThreadIds.of(submitter),
                submitter.getName(),
                executor == null ? null : executors.get(executor), site, clock.currentTimeMillis()));
    }

    /** The node of a task that submits others, made on its first nested submission. */
    private TaskNode node(Object parent) {
        TaskNode node = parents.get(parent);
        if (node == null) {
            TaskLink own = links.get(parent);
            node = parents.putIfAbsent(parent, new TaskNode(parent, own == null ? null : own.parent()));
        }
        return node;
    }

    /**
     * Records that a task's future was cancelled, so that its children learn it even after it is collected,
     * including children it submits after the cancellation (a task that ignores the interrupt).
     */
    public void taskCancelled(Object task) {
        node(task).markCancelled();
    }

    /** Hands a thread's slot (what it runs, what it blocks on) to its record. */
    public void threadSlot(Thread thread, AtomicReferenceArray<Object> slot) {
        ThreadRecord record = threads.get(ThreadIds.of(thread));
        if (record != null && record.thread() == thread) {
            record.slot(slot);
        }
    }

    /** The link of a task, or {@code null}. */
    public TaskLink link(Object task) {
        return task == null ? null : links.get(task);
    }

    /** Drops the links and nodes of collected tasks. Sampler thread. */
    public void expunge() {
        links.expunge(l -> { });
        parents.expunge(n -> { });
    }

    /** Links held now (tests, summary). */
    public int size() {
        return links.size();
    }
}
