package io.threadleak.core.sample;

import io.threadleak.core.registry.ThreadOverride;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the stacks of a few platform threads without stopping the whole JVM for long.
 *
 * <p>From JDK 21 on, {@code Thread.getStackTrace()} of another thread is a handshake with that thread alone: no
 * global pause. Before, it is a stop-the-world thread dump per call, so there the stacks are read with
 * {@link ThreadMXBean#getThreadInfo(long[], int)} in chunks of {@value #CHUNK} threads: each chunk is one short
 * pause (about 2 ms with 10,000 live threads on 2 cores), never one pause for every thread. A thread class that
 * overrides {@code getStackTrace()} is always read through the MXBean: the agent never calls application code.
 *
 * <p>Stacks are cut to {@value #MAX_DEPTH} frames and interned, so that threads waiting at the same place share
 * one array; the intern table keeps only the stacks of the latest two reads.
 */
final class StackReader {

    static final int MAX_DEPTH = 64;
    static final int CHUNK = 64;
    private static final boolean HANDSHAKES = Runtime.version().feature() >= 21;
    private static final ThreadOverride OWN_GET_STACK_TRACE = new ThreadOverride("getStackTrace");

    private final ThreadMXBean mx;
    private Map<List<StackTraceElement>, StackTraceElement[]> current = new HashMap<>();
    private Map<List<StackTraceElement>, StackTraceElement[]> previous = new HashMap<>();

    StackReader(ThreadMXBean mx) {
        this.mx = mx;
    }

    /** Reads the stacks of these threads into their watches (and, through the MXBean, their wait counts). */
    void read(List<ThreadWatch> watches, long round, long nowNanos) {
        previous = current;
        current = new HashMap<>();
        List<ThreadWatch> viaMx = new ArrayList<>();
        for (ThreadWatch w : watches) {
            Thread t = w.record.thread();
            if (t == null) {
                continue;
            }
            if (!HANDSHAKES || OWN_GET_STACK_TRACE.of(t)) {
                viaMx.add(w);
                continue;
            }
            StackTraceElement[] stack = t.getStackTrace();
            if (stack.length == 0 && !t.isAlive()) {
                continue;
            }
            w.stacked(intern(stack), IdlePoints.classify(w.state, stack), round);
        }
        for (int from = 0; from < viaMx.size(); from += CHUNK) {
            List<ThreadWatch> chunk = viaMx.subList(from, Math.min(viaMx.size(), from + CHUNK));
            long[] ids = new long[chunk.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = chunk.get(i).id;
            }
            ThreadInfo[] infos = mx.getThreadInfo(ids, MAX_DEPTH);
            for (int i = 0; i < infos.length; i++) {
                ThreadInfo info = infos[i];
                if (info == null) {
                    continue;
                }
                ThreadWatch w = chunk.get(i);
                w.counted(info.getWaitedCount() + info.getBlockedCount(), WaitTarget.of(info.getLockInfo()),
                        info.getLockOwnerId(), info.getLockOwnerName(), round, nowNanos);
                StackTraceElement[] stack = info.getStackTrace();
                w.stacked(intern(stack), IdlePoints.classify(info.getThreadState(), stack), round);
            }
        }
    }

    private StackTraceElement[] intern(StackTraceElement[] stack) {
        StackTraceElement[] cut = stack.length > MAX_DEPTH ? Arrays.copyOf(stack, MAX_DEPTH) : stack;
        List<StackTraceElement> key = Arrays.asList(cut);
        StackTraceElement[] known = current.get(key);
        if (known == null) {
            known = previous.get(key);
            current.put(Arrays.asList(known == null ? cut : known), known == null ? cut : known);
        }
        return known == null ? cut : known;
    }
}
