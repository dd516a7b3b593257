package io.threadleak.agent.internal;

import io.threadleak.bootstrap.ScopeBridge;
import io.threadleak.bootstrap.ThreadHooks;
import io.threadleak.core.registry.ExecutorTracker;
import io.threadleak.core.registry.ScopeTracker;
import io.threadleak.core.registry.TaskTracker;
import io.threadleak.core.registry.ThreadTracker;
import io.threadleak.core.registry.VirtualThreadCensus;
import io.threadleak.core.sample.TaskFields;
import io.threadleak.core.site.FramePolicy;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Connects the bootstrap bridge to the core tracker. Failures propagate to the bridge, which swallows and
 * counts them; with fault injection on, every call fails on purpose.
 */
public final class BridgeHooks implements ThreadHooks {

    private final ThreadTracker tracker;
    private final ExecutorTracker executors;
    private final TaskTracker tasks;
    private final ScopeTracker scopes;
    private final boolean taskStacks;
    private final boolean faultInjection;
    private final FramePolicy policy;
    private final int stackDepth;
    private final TaskFields fields;
    private final VirtualThreadCensus census;
    private final Set<String> injected = ConcurrentHashMap.newKeySet();

    /**
     * @param stackDepth frames of a creation stack to collect, 0 when stacks are off
     * @param taskStacks whether every task submission is recorded with its submit site ({@code stacks=all})
     * @param fields     reads a task's state, to tell a real cancellation from a faked call
     * @param census     what the JDK knows of its virtual threads (checked against the first one made)
     */
    public BridgeHooks(ThreadTracker tracker, ExecutorTracker executors, TaskTracker tasks, ScopeTracker scopes,
                       FramePolicy policy, int stackDepth, boolean taskStacks, boolean faultInjection,
                       TaskFields fields, VirtualThreadCensus census) {
        this.census = census;
        this.scopes = scopes;
        this.fields = fields;
        this.tracker = tracker;
        this.executors = executors;
        this.tasks = tasks;
        this.taskStacks = taskStacks;
        this.policy = policy;
        this.stackDepth = stackDepth;
        this.faultInjection = faultInjection;
    }

    /** Which hook calls failed on purpose so far (fault injection), by name. */
    public Set<String> injectedFaults() {
        return new TreeSet<>(injected);
    }

    /** With fault injection on, fails the call on purpose (and remembers which hook it was). */
    private void fault(String hook) {
        if (faultInjection) {
            injected.add(hook);
            throw new IllegalStateException("threadleak fault injection: " + hook);
        }
    }

    @Override
    public void threadStarting(Thread thread, List<StackWalker.StackFrame> head, Object key) {
        fault("threadStarting");
        tracker.threadStarting(thread, head, key);
    }

    @Override
    public Object startKey(Thread virtualThread, Object task) {
        fault("virtualThreadCreated");
        census.check(virtualThread, task);
        return tracker.startKey(fields.startTarget(task));
    }

    @Override
    public Object platformStartKey(Thread thread) {
        return tracker.startKey(fields.threadTask(thread));
    }

    @Override
    public boolean threadStartingKnown(Thread thread, Object key, boolean needsRecord) {
        fault("threadStarting");
        return tracker.threadStartingKnown(thread, key, needsRecord);
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
        fault("threadExiting");
        tracker.threadExiting(thread);
    }

    @Override
    public void executorCreated(Object executor) {
        fault("executorCreated");
        executors.executorCreated(executor);
        scopes.executorScoped(executor, ScopeBridge.current());
    }

    @Override
    public void workerRunning(Object executor) {
        fault("workerRunning");
        executors.workerRunning(executor);
        scopes.workerRunning(executor);
    }

    @Override
    public void taskSubmitted(Object executor, Object task, Object parent, List<StackWalker.StackFrame> head) {
        fault("taskSubmitted");
        tasks.taskSubmitted(executor, task, parent, head);
    }

    @Override
    public Object childrenOf(Thread runner) {
        fault("childrenOf");
        return tasks.childrenOf(runner);
    }

    @Override
    public void taskCancelled(Object task, Thread runner, Object children) {
        fault("taskCancelled");
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
        fault("threadSlot");
        tasks.threadSlot(thread, slot);
    }

    @Override
    public void timerCreated(Object timer, Thread timerThread) {
        fault("timerCreated");
        executors.timerCreated(timer, timerThread);
        scopes.executorScoped(timerThread, ScopeBridge.current());
    }

    @Override
    public void threadScoped(Thread thread, Object scope) {
        fault("threadScoped");
        scopes.threadScoped(thread, scope);
    }

    @Override
    public Object[] scopeLeftovers(Object scope) {
        return scopes.leftovers(scope);
    }
}
