package io.threadleak.core.registry;

import static io.threadleak.bootstrap.ThreadSlotLayout.FIRST_CHILD;

import io.threadleak.core.Clock;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.SiteTable;
import io.threadleak.core.site.StackCapture;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Turns task hooks into records. Submissions cost nothing here by default: once the program has cancelled a
 * running task, the bridge remembers the latest children of a running task in its thread's slot, and only when
 * that task is cancelled ({@link #taskCancelled}) are its children linked to it, so that they can be told they
 * run on for nothing. With {@code stacks=all} the
 * bridge reports every submission ({@link #taskSubmitted}) with its stack. Everything a task does later is read
 * by the sampler from the thread slots handed over by {@link #threadSlot}.
 */
public final class TaskTracker {

    private final WeakIdentityMap<TaskLink> links = new WeakIdentityMap<>();
    private final WeakIdentityMap<TaskNode> parents = new WeakIdentityMap<>();
    /** Tasks cancelled while a thread ran them, by that thread's id: the thread may run on regardless. */
    private final ConcurrentHashMap<Long, TaskNode> cancelledRunning = new ConcurrentHashMap<>();
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
        ThreadRecord submitterRecord = threads.of(submitter);
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

    /** The child tasks a thread remembers for the task it runs (copied), or {@code null}. */
    public Object[] childrenOf(Thread runner) {
        ThreadRecord record = threads.get(ThreadIds.of(runner));
        AtomicReferenceArray<Object> slot = record == null || record.thread() != runner ? null : record.slot();
        if (slot == null) {
            return null;
        }
        Object[] children = new Object[slot.length() - FIRST_CHILD];
        int n = 0;
        for (int i = FIRST_CHILD; i < slot.length(); i++) {
            Object child = slot.get(i);
            if (child != null) {
                children[n++] = child;
            }
        }
        return n == 0 ? null : java.util.Arrays.copyOf(children, n);
    }

    /**
     * Records that a task's future was cancelled, and links the children it had submitted (as its runner's slot
     * held them when the cancellation began) to it, so that they learn it even after it is collected. Children
     * it submits after the cancellation (a task that ignores the interrupt) are linked too, with
     * {@code stacks=all}.
     *
     * @param runner   the thread that ran the task, or {@code null}
     * @param children its children, or {@code null}
     */
    public void taskCancelled(Object task, Thread runner, Object[] children) {
        TaskNode node = node(task);
        node.markCancelled();
        if (runner != null) {
            cancelledRunning.put(ThreadIds.of(runner), node);
        }
        if (children == null) {
            return;
        }
        long now = clock.currentTimeMillis();
        for (Object child : children) {
            if (child != null) {
                links.putIfAbsent(child, new TaskLink(node, runner == null ? -1 : ThreadIds.of(runner),
                        runner == null ? null : runner.getName(), null, null, now));
            }
        }
    }

    /** Records that a task's future was cancelled (no children known). */
    public void taskCancelled(Object task) {
        taskCancelled(task, null, null);
    }

    /** Hands a thread's slot (what it runs, what it blocks on) to its record. */
    public void threadSlot(Thread thread, AtomicReferenceArray<Object> slot) {
        ThreadRecord record = threads.of(thread);
        if (record != null && record.thread() == thread) {
            record.slot(slot);
        }
    }

    /** The link of a task, or {@code null}. */
    public TaskLink link(Object task) {
        return task == null ? null : links.get(task);
    }

    /** The task last cancelled while this thread ran it, or {@code null}; the sampler checks it still runs. */
    public TaskNode cancelledOn(long threadId) {
        return cancelledRunning.isEmpty() ? null : cancelledRunning.get(threadId);
    }

    /** Forgets a cancelled task that its thread no longer runs. */
    public void forgetCancelledOn(long threadId, TaskNode node) {
        cancelledRunning.remove(threadId, node);
    }

    /** Drops the links and nodes of collected tasks. Sampler thread. */
    public void expunge() {
        links.expunge(l -> { });
        parents.expunge(n -> { });
        cancelledRunning.values().removeIf(n -> n.task() == null);
    }

    /** Links held now (tests, summary). */
    public int size() {
        return links.size();
    }
}
