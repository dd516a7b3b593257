package io.threadleak.agent.internal;

import io.threadleak.bootstrap.ThreadHooks;
import io.threadleak.core.registry.ExecutorTracker;
import io.threadleak.core.registry.TaskTracker;
import io.threadleak.core.registry.ThreadTracker;
import io.threadleak.core.sample.TaskFields;
import io.threadleak.core.site.FramePolicy;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Connects the bootstrap bridge to the core tracker. Failures propagate to the bridge, which swallows and
 * counts them; with fault injection on, every call fails on purpose.
 */
public final class BridgeHooks implements ThreadHooks {

    private final ThreadTracker tracker;
    private final ExecutorTracker executors;
    private final TaskTracker tasks;
    private final boolean taskStacks;
    private final boolean faultInjection;
    private final FramePolicy policy;
    private final int stackDepth;
    private final TaskFields fields;

    /**
     * @param stackDepth frames of a creation stack to collect, 0 when stacks are off
     * @param taskStacks whether every task submission is recorded with its submit site ({@code stacks=all})
     * @param fields     reads a task's state, to tell a real cancellation from a faked call
     */
    public BridgeHooks(ThreadTracker tracker, ExecutorTracker executors, TaskTracker tasks, FramePolicy policy,
                       int stackDepth, boolean taskStacks, boolean faultInjection, TaskFields fields) {
        this.fields = fields;
        this.tracker = tracker;
        this.executors = executors;
        this.tasks = tasks;
        this.taskStacks = taskStacks;
        this.policy = policy;
        this.stackDepth = stackDepth;
        this.faultInjection = faultInjection;
    }

    @Override
    public void threadStarting(Thread thread, List<StackWalker.StackFrame> head) {
        if (faultInjection) {
            throw new IllegalStateException("threadleak fault injection: threadStarting");
        }
        tracker.threadStarting(thread, head);
    }

    @Override
    public boolean isTracked(Thread thread) {
        return tracker.isTracked(thread);
    }

    @Override
    public boolean endsCreationStack(String className) {
        return policy.isBlameable(className);
    }

    @Override
    public int creationStackDepth() {
        return stackDepth;
    }

    @Override
    public void threadExiting(Thread thread) {
        if (faultInjection) {
            throw new IllegalStateException("threadleak fault injection: threadExiting");
        }
        tracker.threadExiting(thread);
    }

    @Override
    public void executorCreated(Object executor) {
        if (faultInjection) {
            throw new IllegalStateException("threadleak fault injection: executorCreated");
        }
        executors.executorCreated(executor);
    }

    @Override
    public void workerRunning(Object executor) {
        if (faultInjection) {
            throw new IllegalStateException("threadleak fault injection: workerRunning");
        }
        executors.workerRunning(executor);
    }

    @Override
    public void taskSubmitted(Object executor, Object task, Object parent, List<StackWalker.StackFrame> head) {
        if (faultInjection) {
            throw new IllegalStateException("threadleak fault injection: taskSubmitted");
        }
        tasks.taskSubmitted(executor, task, parent, head);
    }

    @Override
    public Object childrenOf(Thread runner) {
        if (faultInjection) {
            throw new IllegalStateException("threadleak fault injection: childrenOf");
        }
        return tasks.childrenOf(runner);
    }

    @Override
    public void taskCancelled(Object task, Thread runner, Object children) {
        if (faultInjection) {
            throw new IllegalStateException("threadleak fault injection: taskCancelled");
        }
        int state = fields.futureTaskState(task);
        if (state >= 0 && state < 4 || !(children == null || children instanceof Object[])) {
            return; // not cancelled (4-6; -1 when unknown): class-path code called the bridge itself
        }
        tasks.taskCancelled(task, runner, (Object[]) children);
    }

    @Override
    public boolean tasksWithStacks() {
        return taskStacks;
    }

    @Override
    public void threadSlot(Thread thread, AtomicReferenceArray<Object> slot) {
        if (faultInjection) {
            throw new IllegalStateException("threadleak fault injection: threadSlot");
        }
        tasks.threadSlot(thread, slot);
    }

    @Override
    public void timerCreated(Object timer, Thread timerThread) {
        if (faultInjection) {
            throw new IllegalStateException("threadleak fault injection: timerCreated");
        }
        executors.timerCreated(timer, timerThread);
    }
}
