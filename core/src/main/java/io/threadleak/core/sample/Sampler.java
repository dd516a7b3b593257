package io.threadleak.core.sample;

import io.threadleak.core.Clock;
import io.threadleak.core.registry.ExecutorRecord;
import io.threadleak.core.registry.ExecutorRegistry;
import io.threadleak.core.registry.ThreadRecord;
import io.threadleak.core.registry.ThreadRegistry;
import io.threadleak.core.site.CreationSite;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * Takes one {@link Sample}: platform threads through {@link ThreadMXBean} (state, lock, owner, stack, wait
 * counts), virtual threads through the registry (they are invisible to the MXBean), deadlock cycles, and
 * whether {@code main} has returned. Also drops the records of threads that ended without the exit hook
 * seeing them. Runs on the agent's sampler thread only.
 */
public final class Sampler {

    /** JDK and VM threads that may exist without having been seen starting. */
    private static final Set<String> JDK_THREAD_NAMES = Set.of(
            "Reference Handler", "Finalizer", "Signal Dispatcher", "Attach Listener", "Common-Cleaner",
            "Notification Thread", "DestroyJavaVM", "process reaper", "Java2D Disposer", "AWT-Shutdown",
            "Monitor Ctrl-Break", "Service Thread", "Sweeper thread", "Monitor Deflation Thread");
    private static final int MAX_DEPTH = 64;
    private static final int DETAILED_VIRTUAL_PER_SITE = 16;

    private final ThreadRegistry registry;
    private final ExecutorRegistry executors;
    private final Clock clock;
    private final List<Pattern> ignoreThreads;
    private ThreadMXBean mx;
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
        this.registry = registry;
        this.executors = executors;
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
        }
        long now = clock.nanoTime();
        List<ThreadSnapshot> threads = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (ThreadInfo info : mx.dumpAllThreads(false, false, MAX_DEPTH)) {
            if (info == null || registry.isOwn(info.getThreadId())) {
                continue;
            }
            seen.add(info.getThreadId());
            threads.add(platform(info));
        }
        Map<CreationSite, Integer> liveBySite = new HashMap<>();
        Map<CreationSite, Integer> detailed = new HashMap<>();
        int liveVirtual = 0;
        for (ThreadRecord record : registry.records()) {
            if (record.virtual()) {
                if (!virtual(record, detailed, threads)) {
                    continue;
                }
                liveVirtual++;
            } else if (!seen.contains(record.id()) && endedPlatform(record)) {
                continue;
            }
            if (record.site() != null && record.executor() == null) {
                liveBySite.merge(record.site(), 1, Integer::sum);
            }
        }
        Thread m = main.get();
        if (mainEndedNanos < 0 && (m == null || !m.isAlive())) {
            mainEndedNanos = now;
        }
        previousNanos = now;
        return new Sample(now, clock.currentTimeMillis(), threads, liveBySite, liveExecutors(), deadlocks(threads),
                liveVirtual, mainEndedNanos);
    }

    private ThreadSnapshot platform(ThreadInfo info) {
        ThreadRecord record = registry.get(info.getThreadId());
        StackTraceElement[] stack = info.getStackTrace();
        Thread.State state = info.getThreadState();
        return new ThreadSnapshot(info.getThreadId(), info.getThreadName(), info.isDaemon(), false, state,
                IdlePoints.classify(state, stack), WaitTarget.of(info.getLockInfo()), info.getLockOwnerId(),
                info.getLockOwnerName(), stack, info.getWaitedCount() + info.getBlockedCount(), record,
                exempt(record, info.getThreadName()));
    }

    /** Live executors per creation site; drops the records of executors that terminated or were collected. */
    private Map<CreationSite, Integer> liveExecutors() {
        executors.expunge();
        Map<CreationSite, Integer> live = new HashMap<>();
        for (ExecutorRecord record : executors.records()) {
            Object executor = record.executor();
            if (executor == null) {
                continue;
            }
            ExecutorState state = ExecutorState.of(executor);
            if (state == ExecutorState.TERMINATED) {
                executors.end(executor);
            } else if (state != ExecutorState.SHUT_DOWN && record.site() != null
                    && record.origin() == ExecutorRecord.Origin.CREATED) {
                live.merge(record.site(), 1, Integer::sum);
            }
        }
        return live;
    }

    /** Adds a virtual thread's snapshot (capped per site); returns false when it has ended. */
    private boolean virtual(ThreadRecord record, Map<CreationSite, Integer> detailed, List<ThreadSnapshot> out) {
        Thread t = record.thread();
        Thread.State state = t == null ? Thread.State.TERMINATED : t.getState();
        if (state == Thread.State.TERMINATED) {
            registry.end(record);
            return false;
        }
        if (record.site() != null && detailed.merge(record.site(), 1, Integer::sum) > DETAILED_VIRTUAL_PER_SITE) {
            return true;
        }
        StackTraceElement[] stack = t.getStackTrace();
        Object blocker = LockSupport.getBlocker(t);
        out.add(new ThreadSnapshot(record.id(), t.getName(), true, true, state, IdlePoints.classify(state, stack),
                WaitTarget.ofObject(blocker), -1, null, stack, -1, record, exempt(record, t.getName())));
        return true;
    }

    /** A platform record the MXBean did not list: ended, unless it is still being started. */
    private boolean endedPlatform(ThreadRecord record) {
        Thread t = record.thread();
        if (t == null || (!t.isAlive() && record.registeredNanos() < previousNanos)) {
            registry.end(record);
            return true;
        }
        return false;
    }

    private boolean exempt(ThreadRecord record, String name) {
        for (Pattern p : ignoreThreads) {
            if (p.matcher(name).matches()) {
                return true;
            }
        }
        if (record == null) {
            return JDK_THREAD_NAMES.contains(name);
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
