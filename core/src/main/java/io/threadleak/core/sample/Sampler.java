package io.threadleak.core.sample;

import io.threadleak.bootstrap.ThreadSlotLayout;
import io.threadleak.core.Clock;
import io.threadleak.core.registry.ExecutorRecord;
import io.threadleak.core.registry.JvmThreads;
import io.threadleak.core.registry.ExecutorRegistry;
import io.threadleak.core.registry.TaskTracker;
import io.threadleak.core.registry.ThreadIds;
import io.threadleak.core.registry.ThreadRecord;
import io.threadleak.core.registry.ThreadRegistry;
import io.threadleak.core.site.CreationSite;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * Takes one {@link Sample}: platform threads through {@link PlatformThreads} (state first, wait counts and stacks
 * only where they can matter, without stopping the JVM), virtual threads through the registry (they are invisible
 * to the MXBean), deadlock cycles (looked for only when some thread is blocked on a lock), executors, and whether
 * {@code main} has returned. Also drops the records of threads that ended without the exit hook seeing them, and
 * registers threads the agent did not see starting. Runs on the agent's sampler thread only.
 */
public final class Sampler {

    /** JDK and VM threads that may exist without having been seen starting. */
    private static final Set<String> JDK_THREAD_NAMES = Set.of(
            "Reference Handler", "Finalizer", "Signal Dispatcher", "Attach Listener", "Common-Cleaner",
            "Notification Thread", "DestroyJavaVM", "process reaper", "Java2D Disposer", "AWT-Shutdown",
            "Monitor Ctrl-Break", "Service Thread", "Sweeper thread", "Monitor Deflation Thread");
    /** Frames read of a thread's stack: a stack this deep may be cut, so it does not prove a task has ended. */
    static final int MAX_DEPTH = StackReader.MAX_DEPTH;
    private static final int DETAILED_VIRTUAL_PER_SITE = 16;
    /** Every this many samples, the live threads are enumerated to find those the agent did not see start. */
    private static final int FULL_ENUMERATION = 60;

    private final ThreadRegistry registry;
    private final ExecutorRegistry executors;
    private final TaskTracker tasks;
    private final TaskFields fields;
    private final Map<Long, Long> completedBefore = new HashMap<>();
    private final VirtualWaits virtualWaits = new VirtualWaits();
    private final Clock clock;
    private final long recountNanos;
    private final List<Pattern> ignoreThreads;
    private ThreadMXBean mx;
    private PlatformThreads platform;
    private int livePlatform;
    private final WeakReference<Thread> main;
    private long mainEndedNanos = -1;
    private long previousNanos;

    /**
     * @param main the application's main thread, or {@code null} when it had already ended when the agent loaded
     */
    public Sampler(ThreadRegistry registry, Clock clock, List<Pattern> ignoreThreads, Thread main) {
        this(registry, new ExecutorRegistry(), clock, ignoreThreads, main);
    }

    public Sampler(ThreadRegistry registry, ExecutorRegistry executors, Clock clock, List<Pattern> ignoreThreads,
                   Thread main) {
        this(registry, executors, null, TaskFields.NONE, clock, ignoreThreads, main);
    }

    /**
     * @param tasks  the task links, or {@code null}
     * @param fields reads the state of JDK tasks and futures
     */
    public Sampler(ThreadRegistry registry, ExecutorRegistry executors, TaskTracker tasks, TaskFields fields,
                   Clock clock, List<Pattern> ignoreThreads, Thread main) {
        this(registry, executors, tasks, fields, clock, ignoreThreads, main, PlatformThreads.RECOUNT_NANOS * 4);
    }

    /**
     * @param stuckAfterNanos the {@code stuckAfter} setting: with many threads that may be stuck, their wait counts
     *                        are read again every quarter of it (see {@link PlatformThreads})
     */
    public Sampler(ThreadRegistry registry, ExecutorRegistry executors, TaskTracker tasks, TaskFields fields,
                   Clock clock, List<Pattern> ignoreThreads, Thread main, long stuckAfterNanos) {
        this.recountNanos = Math.max(1, stuckAfterNanos / 4);
        this.registry = registry;
        this.executors = executors;
        this.tasks = tasks;
        this.fields = fields;
        this.clock = clock;
        this.ignoreThreads = ignoreThreads;
        this.main = new WeakReference<>(main);
        this.previousNanos = clock.nanoTime();
        if (main == null) {
            mainEndedNanos = previousNanos;
        }
    }

    /** Takes a sample. */
    public Sample sample() {
        if (mx == null) {
            mx = ManagementFactory.getThreadMXBean();
            platform = new PlatformThreads(registry, mx, recountNanos);
        }
        long now = clock.nanoTime();
        if (tasks != null) {
            tasks.expunge();
        }
        executors.expunge();
        TaskViews views = new TaskViews(tasks, fields, executors.records());
        if (mx.getThreadCount() > livePlatform + registry.ownAlive() || platform.round() % FULL_ENUMERATION == 0) {
            registerUnseen(now);
        }
        List<ThreadWatch> live = platform.read(previousNanos, now, this::followsTask);
        livePlatform = live.size();
        List<ThreadSnapshot> threads = new ArrayList<>(live.size() + 16);
        for (ThreadWatch w : live) {
            threads.add(platform(w, views));
        }
        SiteTally liveCounts = new SiteTally();
        for (ThreadRecord record : registry.platformRecords()) {
            if (record.site() != null && record.executor() == null) {
                liveCounts.add(record.site());
            }
        }
        SiteTally detailed = new SiteTally();
        int liveVirtual = 0;
        virtualWaits.beginRound(now);
        for (ThreadRecord record : registry.virtualRecords()) {
            if (!virtual(record, detailed, threads, views)) {
                continue;
            }
            liveVirtual++;
            if (record.site() != null && record.executor() == null) {
                liveCounts.add(record.site());
            }
        }
        virtualWaits.endRound();
        Map<CreationSite, Integer> liveBySite = liveCounts.toMap();
        Thread m = main.get();
        if (mainEndedNanos < 0 && (m == null || !m.isAlive())) {
            mainEndedNanos = now;
        }
        previousNanos = now;
        Map<CreationSite, Integer> liveExecutors = new HashMap<>();
        Map<CreationSite, Integer> liveTimers = new HashMap<>();
        Map<CreationSite, Integer> queued = new HashMap<>();
        List<ExecutorSnapshot> pools = new ArrayList<>();
        executors(liveExecutors, liveTimers, queued, pools);
        List<List<Long>> deadlocks = platform.mayDeadlock(live) ? deadlocks(threads) : List.of();
        return new Sample(now, clock.currentTimeMillis(), threads, liveBySite, liveExecutors, deadlocks,
                liveVirtual, mainEndedNanos, liveTimers, queued, pools, virtualWaits);
    }

    /** Whether the sampler must read this thread's stack in every sample: it runs a task the agent follows. */
    private boolean followsTask(ThreadWatch w) {
        AtomicReferenceArray<Object> slot = w.slot;
        return (slot != null && slot.get(ThreadSlotLayout.TASK) != null)
                || (tasks != null && tasks.cancelledOn(w.id) != null);
    }

    /**
     * Registers live threads the agent did not see starting (attached from native code, or missed), when the
     * JVM counted more threads than the agent knew in the last sample, and every {@value #FULL_ENUMERATION} samples.
     */
    private void registerUnseen(long now) {
        long millis = clock.currentTimeMillis();
        for (Thread t : JvmThreads.all()) {
            long id = ThreadIds.of(t);
            if (id >= 0 && !registry.contains(id) && !registry.isOwn(id) && t.isAlive()) {
                registry.add(JvmThreads.unseen(t, id, millis, now));
            }
        }
    }

    /**
     * A platform thread's snapshot, from what {@link PlatformThreads} read this sample. The thread's record is read
     * again only when the thread has a task slot or its name changed: with 10,000 threads, every object touched
     * once more per thread is a cache miss each, and that was most of a sample's cost.
     */
    private ThreadSnapshot platform(ThreadWatch w, TaskViews views) {
        ThreadRecord record = w.record;
        Thread t = w.thread;
        String name = t.getName();
        if (name != w.name) {
            w.named(name, exempt(record, name));
        }
        boolean read = w.stackRound >= 0;
        boolean runs = read && (w.slot != null || (tasks != null && tasks.cancelledOn(w.id) != null));
        if (!runs && w.slot == null) {
            ThreadSnapshot same = w.unchangedSnapshot(name);
            if (same != null) {
                return same; // a parked thread that did not move: the snapshot of the sample before, as it was
            }
        }
        StackTraceElement[] stack = w.stack;
        Activity activity = w.activity != null ? w.activity : IdlePoints.classify(w.state, stack);
        if (activity == Activity.WAITING && isMain(w.id)) {
            activity = Activity.IDLE; // a service's main thread parked until shutdown: its idle state
        }
        // a stack never read tells nothing about the thread's task or future; without a slot it has neither, unless
        // it runs a cancelled task
        return w.snapshot(new ThreadSnapshot(w.id, name, w.daemon, false, w.state, activity, w.waitsOn, w.ownerId,
                w.ownerName, stack, w.waitCount, record, w.exempt, runs ? task(record, stack, views) : null,
                read && w.slot != null ? future(record, stack, views) : null, w.sinceNanos));
    }

    private boolean isMain(long id) {
        Thread m = main.get();
        return m != null && ThreadIds.of(m) == id;
    }

    private static TaskView task(ThreadRecord record, StackTraceElement[] stack, TaskViews views) {
        return record == null ? null : views.runningTask(record, record.thread(), stack);
    }

    private static FutureView future(ThreadRecord record, StackTraceElement[] stack, TaskViews views) {
        return record == null ? null : views.awaitedFuture(record, stack);
    }

    /**
     * Live executors and timers per creation site, queued tasks per executor site and the state of each JDK
     * thread pool; drops the records of executors that terminated and of timers whose thread ended.
     */
    private void executors(Map<CreationSite, Integer> liveExecutors, Map<CreationSite, Integer> liveTimers,
                           Map<CreationSite, Integer> queued, List<ExecutorSnapshot> pools) {
        Set<Long> present = new HashSet<>();
        for (ExecutorRecord record : executors.records()) {
            Object executor = record.executor();
            if (executor == null) {
                continue;
            }
            boolean counted = record.site() != null && record.origin() == ExecutorRecord.Origin.CREATED;
            if (record.timer()) {
                Thread t = record.timerThread();
                if (t == null || !t.isAlive()) {
                    executors.end(executor);
                } else if (counted) {
                    liveTimers.merge(record.site(), 1, Integer::sum);
                }
                continue;
            }
            ExecutorState state = ExecutorState.of(executor);
            if (state == ExecutorState.TERMINATED) {
                executors.end(executor);
                continue;
            }
            if (state != ExecutorState.SHUT_DOWN && counted) {
                liveExecutors.merge(record.site(), 1, Integer::sum);
            }
            record.observed(state.name(), -1, -1);
            if (state == ExecutorState.RUNNING && ExecutorState.isJdk(executor)) {
                present.add(record.id());
                ExecutorSnapshot pool = pool(record, executor);
                if (pool != null) {
                    pools.add(pool);
                }
                int waiting = pool != null ? pool.queued() : executor instanceof ForkJoinPool
                        ? (int) Math.min(Integer.MAX_VALUE, ((ForkJoinPool) executor).getQueuedSubmissionCount()) : 0;
                record.observed(state.name(), pool != null ? pool.poolSize()
                        : executor instanceof ForkJoinPool ? ((ForkJoinPool) executor).getPoolSize() : -1, waiting);
                if (counted && waiting > 0) {
                    queued.merge(record.site(), waiting, Integer::sum);
                }
            }
        }
        completedBefore.keySet().retainAll(present);
    }

    /** A JDK thread pool's size, activity and queue, with the executor's queue only when it is the JDK's. */
    private ExecutorSnapshot pool(ExecutorRecord record, Object executor) {
        if (!(executor instanceof ThreadPoolExecutor)) {
            return null;
        }
        ThreadPoolExecutor tpe = (ThreadPoolExecutor) executor;
        if (!tpe.getQueue().getClass().getName().startsWith("java.util.concurrent.")) {
            return null;
        }
        int size = tpe.getPoolSize();
        int active = tpe.getActiveCount();
        int queuedTasks = tpe.getQueue().size();
        long completed = tpe.getCompletedTaskCount();
        Long before = completedBefore.put(record.id(), completed);
        boolean starving = queuedTasks > 0 && size > 0 && active >= size && before != null && before == completed;
        return new ExecutorSnapshot(record, size, active, queuedTasks, completed, starving);
    }

    /** Adds a virtual thread's snapshot (capped per site); returns false when it has ended. */
    private boolean virtual(ThreadRecord record, SiteTally detailed, List<ThreadSnapshot> out,
                            TaskViews views) {
        Thread t = record.thread();
        Thread.State state = t == null ? Thread.State.TERMINATED : t.getState();
        if (state == Thread.State.TERMINATED) {
            registry.end(record);
            return false;
        }
        if (record.site() != null && detailed.add(record.site()) > DETAILED_VIRTUAL_PER_SITE) {
            // no stack: counted, not detailed; only an untimed wait's blocker matters
            virtualWaits.observe(record, state, state == Thread.State.WAITING ? LockSupport.getBlocker(t) : null);
            return true;
        }
        StackTraceElement[] stack = t.getStackTrace();
        Object blocker = LockSupport.getBlocker(t);
        out.add(new ThreadSnapshot(record.id(), t.getName(), true, true, state, IdlePoints.classify(state, stack),
                WaitTarget.ofObject(blocker), -1, null, stack, -1, record, exempt(record, t.getName()),
                task(record, stack, views), future(record, stack, views)));
        return true;
    }

    private boolean exempt(ThreadRecord record, String name) {
        for (Pattern p : ignoreThreads) {
            if (p.matcher(name).matches()) {
                return true;
            }
        }
        if (record == null || (record.site() == null && JDK_THREAD_NAMES.contains(name))) {
            return true;
        }
        if (record.origin() == ThreadRecord.Origin.SYSTEM) {
            return true;
        }
        return record.site() != null && record.site().jdkInternal();
    }

    private List<List<Long>> deadlocks(List<ThreadSnapshot> threads) {
        long[] ids = mx.findDeadlockedThreads();
        if (ids == null) {
            return List.of();
        }
        Map<Long, ThreadSnapshot> byId = new HashMap<>();
        for (ThreadSnapshot s : threads) {
            byId.put(s.id(), s);
        }
        return DeadlockCycles.find(ids, byId);
    }
}
