package io.threadleak.core.sample;

import static io.threadleak.bootstrap.ThreadSlotLayout.FIRST_CHILD;
import static io.threadleak.bootstrap.ThreadSlotLayout.FUTURE;
import static io.threadleak.bootstrap.ThreadSlotLayout.TASK;

import io.threadleak.core.registry.ExecutorRecord;
import io.threadleak.core.registry.TaskLink;
import io.threadleak.core.registry.TaskNode;
import io.threadleak.core.registry.TaskTracker;
import io.threadleak.core.registry.ThreadIds;
import io.threadleak.core.registry.ThreadRecord;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Builds the task and future views of one sample from the threads' slots, the task links and the JDK-private
 * state of the tasks. Made afresh for every sample: the index of queued tasks is built at most once, and only
 * when some thread blocks on a future that no thread runs.
 */
final class TaskViews {

    /** Queued tasks looked at per executor, at most: the index is for diagnosis, not an inventory. */
    private static final int MAX_QUEUED_PER_EXECUTOR = 10_000;
    private static final int MAX_PARENTS = 8;
    private static final String JUC = "java.util.concurrent.";

    private final TaskTracker tracker;
    private final TaskFields fields;
    private final Iterable<ExecutorRecord> executors;
    private Map<Object, ExecutorRecord> queuedIn;

    TaskViews(TaskTracker tracker, TaskFields fields, Iterable<ExecutorRecord> executors) {
        this.tracker = tracker;
        this.fields = fields;
        this.executors = executors;
    }

    /**
     * The task a thread runs, if its slot names one and its stack is still inside it. A slot whose task is over
     * (there is no hook as a task ends) is emptied here, with the children that task submitted, so the agent keeps
     * no finished task alive for longer than a sample period: a task is over once it is done, or once two samples
     * in a row saw it off the stack (the stack is taken a moment before the slot is read, so a task that has just
     * started may not be on it yet).
     */
    TaskView runningTask(AtomicReferenceArray<Object> slot, StackTraceElement[] stack) {
        return runningTask(slot, stack, null);
    }

    private TaskView runningTask(AtomicReferenceArray<Object> slot, StackTraceElement[] stack, ThreadRecord record) {
        if (slot == null) {
            return null;
        }
        Object task = slot.get(TASK);
        if (task == null) {
            forgetChildren(slot);
            return null;
        }
        if (!onStack(stack, "java.util.concurrent.FutureTask", "run", "runAndReset")) {
            if (over(record, true, task, fields.futureTaskState(task) > 0, stack)
                    && slot.compareAndSet(TASK, task, null)) {
                forgetChildren(slot);
            }
            return null;
        }
        over(record, true, null, false, stack);
        return task(task, TaskState.RUNNING, 0);
    }

    /**
     * Whether a slot entry off the stack is over: done, or seen off the stack at the previous sample too. Only a
     * whole stack (down to the thread's entry frame) can show that an entry is off it: the sampler's stacks are cut
     * at a fixed depth, and a deep task has {@code FutureTask.run} below the cut.
     */
    private static boolean over(ThreadRecord record, boolean task, Object entry, boolean done,
                                StackTraceElement[] stack) {
        boolean twice = record != null && record.overTwice(task, whole(stack) ? entry : null);
        return entry != null && (done || twice);
    }

    /** Whether a stack is not cut: shorter than the sampler's cut, or down to where its thread began. */
    private static boolean whole(StackTraceElement[] stack) {
        if (stack.length == 0) {
            return false;
        }
        String bottom = stack[stack.length - 1].getClassName();
        return stack.length < Sampler.MAX_DEPTH || bottom.equals("java.lang.Thread")
                || bottom.equals("java.util.concurrent.ForkJoinWorkerThread")
                || bottom.equals("jdk.internal.vm.Continuation");
    }

    private boolean futureDone(Object future) {
        int state = fields.futureTaskState(future);
        return state > 0 || state < 0 && Boolean.TRUE.equals(fields.completableDone(future));
    }

    /**
     * Empties the children of a task that is over. Each child is emptied only while the slot names no task: the
     * owner writes its next task before that task's children, so a child read after a null task belongs to no
     * running task.
     */
    private static void forgetChildren(AtomicReferenceArray<Object> slot) {
        for (int i = FIRST_CHILD; i < slot.length(); i++) {
            Object child = slot.get(i);
            if (child != null && slot.get(TASK) == null) {
                slot.compareAndSet(i, child, null);
            }
        }
    }

    /**
     * The task a thread runs: from its slot, or else the task that was cancelled while this thread ran it, if
     * the thread still runs it (the task hooks may have been off when it started).
     */
    TaskView runningTask(ThreadRecord record, Thread thread, StackTraceElement[] stack) {
        TaskView fromSlot = runningTask(record.slot(), stack, record);
        if (fromSlot != null || tracker == null) {
            return fromSlot;
        }
        TaskNode cancelled = tracker.cancelledOn(record.id());
        if (cancelled == null) {
            return null;
        }
        Object task = cancelled.task();
        if (task == null || thread == null || fields.futureTaskRunner(task) != thread
                || !onStack(stack, "java.util.concurrent.FutureTask", "run", "runAndReset")) {
            tracker.forgetCancelledOn(record.id(), cancelled);
            return null;
        }
        return task(task, TaskState.CANCELLED, 0);
    }

    /** The future a thread blocks on, if its slot names one and its stack is still inside the wait. */
    FutureView awaitedFuture(AtomicReferenceArray<Object> slot, StackTraceElement[] stack) {
        return awaitedFuture(slot, stack, null);
    }

    /** The future a thread blocks on, as above; a future the thread no longer waits for is emptied from its slot. */
    FutureView awaitedFuture(ThreadRecord record, StackTraceElement[] stack) {
        return awaitedFuture(record.slot(), stack, record);
    }

    private FutureView awaitedFuture(AtomicReferenceArray<Object> slot, StackTraceElement[] stack,
                                     ThreadRecord record) {
        Object future = slot == null ? null : slot.get(FUTURE);
        if (future == null) {
            return null;
        }
        if (!(onStack(stack, "java.util.concurrent.FutureTask", "awaitDone", "awaitDone")
                || onStack(stack, "java.util.concurrent.CompletableFuture", "waitingGet", "timedGet"))) {
            // a wait that ended by an exception (interrupt, timeout) has no hook: empty the slot once it is over
            if (over(record, false, future, futureDone(future), stack)) {
                slot.compareAndSet(FUTURE, future, null);
            }
            return null;
        }
        over(record, false, null, false, stack);
        int state = fields.futureTaskState(future);
        if (state >= 0) {
            Thread runner = fields.futureTaskRunner(future);
            TaskState taskState = TaskState.ofFutureTask(state, runner != null);
            ExecutorRecord queue = taskState == TaskState.QUEUED ? queuedIn(future) : null;
            if (taskState == TaskState.QUEUED && queue == null) {
                taskState = TaskState.NOT_SUBMITTED;
            }
            TaskView task = task(future, taskState, 0);
            TaskLink link = tracker == null ? null : tracker.link(future);
            return new FutureView(WaitTarget.ofObject(future), state > 0, producer(taskState),
                    via(taskState, runner, queue), task, link == null ? null : link.site(), queue);
        }
        Boolean done = fields.completableDone(future);
        if (done == null) {
            return new FutureView(WaitTarget.ofObject(future), null, FutureView.Producer.UNKNOWN,
                    "what completes it is unknown", null, null, null);
        }
        ExecutorRecord queue = done ? null : queuedIn(future);
        TaskLink link = tracker == null ? null : tracker.link(future);
        if (queue != null) {
            return new FutureView(WaitTarget.ofObject(future), done, FutureView.Producer.QUEUED,
                    "its async task is queued in " + queue, null, link == null ? null : link.site(), queue);
        }
        if (done) {
            return new FutureView(WaitTarget.ofObject(future), true, FutureView.Producer.UNKNOWN, "completed",
                    null, link == null ? null : link.site(), null);
        }
        String forkJoin = ForkJoinActivity.busyPools(executors);
        if (forkJoin != null) {
            return new FutureView(WaitTarget.ofObject(future), false, FutureView.Producer.UNKNOWN,
                    "unknown: no thread pool queue holds its task, but a fork-join task may complete it ("
                            + forkJoin + ")", null, link == null ? null : link.site(), null);
        }
        return new FutureView(WaitTarget.ofObject(future), false, FutureView.Producer.NONE,
                "no queued or running task completes it (checked: no thread pool queue holds its task and every "
                        + "fork-join pool is quiescent; only code holding the future can: complete(), "
                        + "completeExceptionally(), cancel())",
                null, link == null ? null : link.site(), null);
    }

    private static FutureView.Producer producer(TaskState state) {
        switch (state) {
            case RUNNING:
                return FutureView.Producer.RUNNING;
            case QUEUED:
                return FutureView.Producer.QUEUED;
            case NOT_SUBMITTED:
                return FutureView.Producer.NONE;
            default:
                return FutureView.Producer.UNKNOWN;
        }
    }

    private static String via(TaskState state, Thread runner, ExecutorRecord queue) {
        switch (state) {
            case RUNNING:
                return runner == null ? "its task runs" : "its task runs on \"" + runner.getName() + "\" #" + ThreadIds.of(runner);
            case QUEUED:
                return "its task is queued in " + queue;
            case NOT_SUBMITTED:
                return "its task was never started and is in no tracked executor's queue: nothing will run it";
            default:
                return "its task is " + state.label();
        }
    }

    private TaskView task(Object task, TaskState known, int depth) {
        TaskLink link = tracker == null ? null : tracker.link(task);
        int state = fields.futureTaskState(task);
        TaskState s = known;
        if ((known == TaskState.RUNNING || known == TaskState.UNKNOWN) && state > 0) {
            s = TaskState.ofFutureTask(state, true); // still on the thread, but cancelled (or just finishing)
        }
        Object body = fields.futureTaskBody(task);
        TaskView parent = link == null || depth >= MAX_PARENTS ? null : parent(link.parent(), depth + 1);
        String executor = link != null && link.executor() != null ? link.executor().toString() : null;
        String submitter = link == null || link.submitterName() == null ? null
                : "\"" + link.submitterName() + "\" #" + link.submitterId();
        return new TaskView(WaitTarget.ofObject(task), body == null ? null : simpleName(body.getClass().getName()), s,
                periodic(task), executor, submitter, link == null ? null : link.site(), parent);
    }

    /** A parent task: read live while it exists, else from what its node remembers. */
    private TaskView parent(TaskNode node, int depth) {
        if (node == null) {
            return null;
        }
        Object task = node.task();
        if (task != null) {
            int state = fields.futureTaskState(task);
            TaskState s = state < 0 ? TaskState.UNKNOWN : TaskState.ofFutureTask(state, fields.futureTaskRunner(task) != null);
            if (s == TaskState.CANCELLED) {
                node.markCancelled();
            }
            Object body = fields.futureTaskBody(task);
            if (body != null) {
                node.body(simpleName(body.getClass().getName()));
            }
            TaskView view = task(task, node.cancelled() ? TaskState.CANCELLED : s, depth);
            return view;
        }
        return new TaskView(new WaitTarget(node.className(), node.identity()), node.body(),
                node.cancelled() ? TaskState.CANCELLED : TaskState.DONE, false, null, null, null,
                depth >= MAX_PARENTS ? null : parent(node.parent(), depth + 1));
    }

    /** Whether a task is a periodic task of a {@code ScheduledThreadPoolExecutor} (a JDK class: safe to ask). */
    private static boolean periodic(Object task) {
        return task.getClass().getName().equals("java.util.concurrent.ScheduledThreadPoolExecutor$ScheduledFutureTask")
                && ((RunnableScheduledFuture<?>) task).isPeriodic();
    }

    /** Which tracked executor's queue holds this task (or the async task that completes this future). */
    private ExecutorRecord queuedIn(Object taskOrFuture) {
        if (queuedIn == null) {
            queuedIn = new IdentityHashMap<>();
            for (ExecutorRecord record : executors) {
                index(record);
            }
        }
        return queuedIn.get(taskOrFuture);
    }

    private void index(ExecutorRecord record) {
        Object executor = record.executor();
        if (!(executor instanceof ThreadPoolExecutor) || !executor.getClass().getName().startsWith(JUC)) {
            return;
        }
        Iterable<Runnable> queue = ((ThreadPoolExecutor) executor).getQueue();
        if (!queue.getClass().getName().startsWith(JUC)) {
            return; // an application queue: iterating it would run application code
        }
        int n = 0;
        for (Runnable r : queue) {
            if (++n > MAX_QUEUED_PER_EXECUTOR) {
                break;
            }
            queuedIn.put(r, record);
            Object target = fields.asyncTarget(r);
            if (target != null) {
                queuedIn.put(target, record);
            }
        }
    }

    private static boolean onStack(StackTraceElement[] stack, String cls, String m1, String m2) {
        for (StackTraceElement f : stack) {
            if (f.getClassName().equals(cls) && (f.getMethodName().equals(m1) || f.getMethodName().equals(m2))) {
                return true;
            }
        }
        return false;
    }

    /** {@code io.acme.Orders$$Lambda/0x...} becomes {@code io.acme.Orders$$Lambda}. */
    static String simpleName(String className) {
        int slash = className.indexOf('/');
        String name = slash < 0 ? className : className.substring(0, slash);
        int lambda = name.indexOf("$$Lambda");
        return lambda < 0 ? name : name.substring(0, lambda + "$$Lambda".length());
    }
}
