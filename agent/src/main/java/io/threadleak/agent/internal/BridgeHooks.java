package io.threadleak.agent.internal;

import io.threadleak.bootstrap.ThreadHooks;
import io.threadleak.core.registry.ExecutorTracker;
import io.threadleak.core.registry.ThreadTracker;
import io.threadleak.core.site.FramePolicy;
import java.util.List;

/**
 * Connects the bootstrap bridge to the core tracker. Failures propagate to the bridge, which swallows and
 * counts them; with fault injection on, every call fails on purpose.
 */
public final class BridgeHooks implements ThreadHooks {

    private final ThreadTracker tracker;
    private final ExecutorTracker executors;
    private final boolean faultInjection;
    private final FramePolicy policy;
    private final int stackDepth;

    /**
     * @param stackDepth frames of a creation stack to collect, 0 when stacks are off
     */
    public BridgeHooks(ThreadTracker tracker, ExecutorTracker executors, FramePolicy policy, int stackDepth,
                       boolean faultInjection) {
        this.tracker = tracker;
        this.executors = executors;
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
}
