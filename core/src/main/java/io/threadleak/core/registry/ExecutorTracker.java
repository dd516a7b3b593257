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
        if (executors.get(executor) != null) {
            return;
        }
        CreationSite site = null;
        if (capture != null) {
            ThreadRecord creator = threads.get(ThreadIds.of(Thread.currentThread()));
            site = sites.intern(capture, creator == null ? null : creator.site());
        }
        ExecutorRecord.Origin origin = site != null && createdByJdkInitializer(site)
                ? ExecutorRecord.Origin.SYSTEM : ExecutorRecord.Origin.CREATED;
        executors.add(executor, new ExecutorRecord(executor, executors.nextId(), kind(executor), site,
                clock.currentTimeMillis(), origin));
    }

    /** Links the current thread, a pool worker entering its work loop, to its executor. */
    public void workerRunning(Object executor) {
        ExecutorRecord record = executors.get(executor);
        if (record == null) {
            record = executors.add(executor, new ExecutorRecord(executor, executors.nextId(), kind(executor), null,
                    clock.currentTimeMillis(), ExecutorRecord.Origin.PREEXISTING));
        }
        ThreadRecord worker = threads.get(ThreadIds.of(Thread.currentThread()));
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
