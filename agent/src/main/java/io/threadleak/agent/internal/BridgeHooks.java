package io.threadleak.agent.internal;

import io.threadleak.bootstrap.ThreadHooks;
import io.threadleak.core.registry.ThreadTracker;

/**
 * Connects the bootstrap bridge to the core tracker. Failures propagate to the bridge, which swallows and
 * counts them; with fault injection on, every call fails on purpose.
 */
public final class BridgeHooks implements ThreadHooks {

    private final ThreadTracker tracker;
    private final boolean faultInjection;

    public BridgeHooks(ThreadTracker tracker, boolean faultInjection) {
        this.tracker = tracker;
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
}
