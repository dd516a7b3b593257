package io.threadleak.core.registry;

import io.threadleak.core.Clock;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.FramePolicy;
import io.threadleak.core.site.SiteTable;
import io.threadleak.core.site.StackCapture;

/**
 * Turns executor constructions and worker starts into records: an executor gets its creation site, and each
 * pool worker thread is linked to its executor, so that reports count "48 threads of 48 executors created at
 * OrderService.handle" rather than 48 unrelated threads. Runs on application threads: cheap and lock-free.
 */
public final class ExecutorTracker {

    private static final String JUC = "java.util.concurrent.";

    private final ExecutorRegistry executors;
    private final ThreadRegistry threads;
    private final SiteTable sites;
    private final StackCapture capture;
    private final Clock clock;

    /**
     * @param capture the stack capture, or {@code null} when creation stacks are off
     */
    public ExecutorTracker(ExecutorRegistry executors, ThreadRegistry threads, SiteTable sites, StackCapture capture,
                           Clock clock) {
        this.executors = executors;
        this.threads = threads;
        this.sites = sites;
        this.capture = capture;
        this.clock = clock;
    }

    /** Records an executor whose constructor is returning on the current thread. */
    public void executorCreated(Object executor) {
        if (executors.get(executor) == null) {
            add(executor, null);
        }
    }

    /**
     * Records a {@code java.util.Timer} whose constructor is returning on the current thread, and links its
     * thread (started by the constructor, so already recorded) to it: the thread then counts with its timer.
     * A timer is keyed by its thread, not by the {@code Timer}: a timer the application dropped while a periodic
     * task still runs is collected, but its thread runs on, and that is the leak.
     */
    public void timerCreated(Object timer, Thread timerThread) {
        ExecutorRecord record = executors.get(timerThread);
        if (record == null) {
            record = add(timerThread, timerThread);
        }
        ThreadRecord thread = threads.get(ThreadIds.of(timerThread));
        if (thread != null) {
            thread.executor(record);
        }
    }

    /** Adds the record of an executor, or of a timer (keyed by its thread). */
    private ExecutorRecord add(Object executor, Thread timerThread) {
        CreationSite site = null;
        if (capture != null) {
            ThreadRecord creator = threads.of(Thread.currentThread());
            site = sites.intern(capture, creator == null ? null : creator.site());
        }
        ExecutorRecord.Origin origin = site != null && createdByJdkInitializer(site)
                ? ExecutorRecord.Origin.SYSTEM : ExecutorRecord.Origin.CREATED;
        return executors.add(executor, new ExecutorRecord(executor, executors.nextId(),
                timerThread != null ? "Timer" : kind(executor), site, clock.currentTimeMillis(), origin, timerThread));
    }

    /** Links the current thread, a pool worker entering its work loop, to its executor. */
    public void workerRunning(Object executor) {
        ExecutorRecord record = executors.get(executor);
        if (record == null) {
            record = executors.add(executor, new ExecutorRecord(executor, executors.nextId(), kind(executor), null,
                    clock.currentTimeMillis(), ExecutorRecord.Origin.PREEXISTING));
        }
        ThreadRecord worker = threads.of(Thread.currentThread());
        if (worker != null) {
            worker.executor(record);
        }
    }

    /** JDK singletons (common pool, virtual thread scheduler, CompletableFuture's delayer) are made in a JDK
     *  class's static initializer, on behalf of whoever touched that class first. */
    private static boolean createdByJdkInitializer(CreationSite site) {
        for (StackTraceElement f : site.frames()) {
            if (f.getMethodName().equals("<clinit>") && FramePolicy.isJdk(f.getClassName())) {
                return true;
            }
        }
        return false;
    }

    private static String kind(Object executor) {
        String name = executor.getClass().getName();
        return name.startsWith(JUC) ? name.substring(JUC.length()) : name;
    }
}
