package io.threadleak.agent.internal;

import io.threadleak.bootstrap.ThreadHooks;
import io.threadleak.core.registry.ExecutorTracker;
import io.threadleak.core.registry.ThreadTracker;

/**
 * Connects the bootstrap bridge to the core tracker. Failures propagate to the bridge, which swallows and
 * counts them; with fault injection on, every call fails on purpose.
 */
public final class BridgeHooks implements ThreadHooks {

    private final ThreadTracker tracker;
    private final ExecutorTracker executors;
    private final boolean faultInjection;

    public BridgeHooks(ThreadTracker tracker, ExecutorTracker executors, boolean faultInjection) {
        this.tracker = tracker;
        this.executors = executors;
        this.faultInjection = faultInjection;
    }

    @Override
    public void threadStarting(Thread thread) {
        if (faultInjection) {
            throw new IllegalStateException("threadleak fault injection: threadStarting");
        }
        tracker.threadStarting(thread);
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
