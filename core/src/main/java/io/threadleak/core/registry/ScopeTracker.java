package io.threadleak.core.registry;

import io.threadleak.core.site.CreationSite;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Which scope (a request, a test: {@code io.threadleak.bootstrap.ThreadScope}) each thread, executor and timer
 * belongs to, and what a scope left alive. A thread belongs to the scope open on the thread that started it, or else
 * to its starter's scope; an executor or timer to the scope of the thread that constructed it; a pool worker to its
 * pool's scope (whoever's task made the pool start it). Tasks are covered through the threads and executors that run
 * them: a task submitted in a scope to an executor of another scope is not followed.
 *
 * <p>The scope is a field of the records, so a scope costs nothing to close and a record nothing to end; what a
 * scope left alive is found by walking the live records, which only {@link #leftovers} does, on request.
 */
public final class ScopeTracker {

    private final ThreadRegistry threads;
    private final ExecutorRegistry executors;
    private volatile boolean used;

    public ScopeTracker(ThreadRegistry threads, ExecutorRegistry executors) {
        this.threads = threads;
        this.executors = executors;
    }

    /** Whether any thread, executor or timer was ever put in a scope. */
    public boolean used() {
        return used;
    }

    /**
     * Puts a thread the current thread just started (and the tracker recorded) in a scope: {@code open}, the scope
     * open on the current thread, or else the current thread's own scope.
     */
    public void threadScoped(Thread thread, Object open) {
        // the starter's scope first: outside every scope (most starts) that is the one lookup this costs
        Object scope = open != null ? open : scopeOfCurrentThread();
        if (scope == null) {
            return;
        }
        ThreadRecord record = threads.get(ThreadIds.of(thread));
        if (record != null && record.thread() == thread) {
            used = true;
            record.scope(scope);
        }
    }

    /** Puts an executor (or a timer, keyed by its thread) the current thread is constructing in a scope, unless it
     *  has one already or is a JDK singleton. */
    public void executorScoped(Object executorOrTimerThread, Object open) {
        if (open == null && !used) {
            return; // no scope was ever used: none to inherit either
        }
        ExecutorRecord record = executors.get(executorOrTimerThread);
        if (record == null || record.scope() != null || record.origin() != ExecutorRecord.Origin.CREATED) {
            return;
        }
        Object scope = open != null ? open : scopeOfCurrentThread();
        if (scope != null) {
            used = true;
            record.scope(scope);
        }
    }

    /** The current thread, a pool worker entering its work loop, belongs to its pool's scope (none, for a pool made
     *  outside every scope, however the task that made the pool start it was scoped). */
    public void workerRunning(Object executor) {
        if (!used) {
            return;
        }
        ExecutorRecord pool = executors.get(executor);
        ThreadRecord worker = threads.of(Thread.currentThread());
        if (pool != null && worker != null) {
            worker.scope(pool.scope());
        }
    }

    private Object scopeOfCurrentThread() {
        ThreadRecord creator = threads.of(Thread.currentThread());
        return creator == null ? null : creator.scope();
    }

    /**
     * What the scope created that is still alive, as rows of plain data: {@code String kind, String name,
     * String state, String blame, StackTraceElement[] creationStack, StackTraceElement[] currentStack,
     * Thread[] threads, Boolean settling}. A pool counts as one row with its workers; a thread not in a pool as one
     * row. An executor is left alive until it has terminated; one never shut down is left alive even without
     * workers (nothing will ever stop it).
     */
    public Object[] leftovers(Object scope) {
        if (scope == null) {
            return new Object[0];
        }
        List<Object[]> rows = new ArrayList<>();
        Map<ExecutorRecord, List<Thread>> workers = new IdentityHashMap<>();
        for (ThreadRecord r : threads.records()) {
            Thread t = r.thread();
            if (t == null || !t.isAlive() || r.origin() != ThreadRecord.Origin.STARTED) {
                continue;
            }
            ExecutorRecord pool = r.executor();
            if (pool != null) {
                if (pool.scope() == scope) {
                    workers.computeIfAbsent(pool, k -> new ArrayList<>()).add(t);
                }
                continue;
            }
            if (r.scope() == scope) {
                rows.add(row("thread", t.getName(), t.getState().name(), r.site(), t.getStackTrace(),
                        new Thread[] {t}, true));
            }
        }
        for (ExecutorRecord e : executors.records()) {
            if (e.scope() != scope || e.origin() != ExecutorRecord.Origin.CREATED) {
                continue;
            }
            if (e.timer()) {
                Thread t = e.timerThread();
                if (t != null && t.isAlive()) {
                    rows.add(row("timer", t.getName(), t.getState().name(), e.site(), t.getStackTrace(),
                            new Thread[] {t}, true));
                }
                continue;
            }
            Object executor = e.executor();
            List<Thread> ws = workers.getOrDefault(e, List.of());
            if (executor == null && ws.isEmpty()) {
                continue;
            }
            boolean shutdown = isShutdown(executor);
            if (shutdown && isTerminated(executor)) {
                continue; // its last workers are returning from their run loops: nothing more will run
            }
            String state = (shutdown ? "SHUT_DOWN" : "RUNNING") + ", " + ws.size()
                    + (ws.size() == 1 ? " worker" : " workers");
            StackTraceElement[] current = ws.isEmpty() ? new StackTraceElement[0] : ws.get(0).getStackTrace();
            rows.add(row("executor", e.kind() + "#" + e.id(), state, e.site(), current, ws.toArray(new Thread[0]),
                    shutdown));
        }
        return rows.toArray();
    }

    private static Object[] row(String kind, String name, String state, CreationSite site, StackTraceElement[] current,
                                Thread[] threads, boolean settling) {
        StackTraceElement[] creation = site == null ? new StackTraceElement[0] : site.frames().clone();
        String blame = site == null ? "<unknown>" : site.blame();
        return new Object[] {kind, name, state, blame, creation, current, threads, settling};
    }

    /** Only the JDK's pools are asked (their methods read a field): never application code. */
    private static boolean isShutdown(Object executor) {
        if (executor instanceof ThreadPoolExecutor || executor instanceof ForkJoinPool) {
            return ((ExecutorService) executor).isShutdown();
        }
        return executor == null; // collected: its workers end once the queue is empty
    }

    private static boolean isTerminated(Object executor) {
        if (executor instanceof ThreadPoolExecutor || executor instanceof ForkJoinPool) {
            return ((ExecutorService) executor).isTerminated();
        }
        return executor == null;
    }
}
