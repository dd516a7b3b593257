package io.threadleak.core.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Splits the JVM's set of deadlocked threads into cycles, following each thread to its lock's owner. */
public final class DeadlockCycles {

    private DeadlockCycles() {
    }

    /**
     * @param deadlocked ids from {@code ThreadMXBean.findDeadlockedThreads()} (cycles plus threads waiting on them)
     * @param byId       snapshots by id
     * @return each cycle once, as thread ids starting from the smallest id
     */
    public static List<List<Long>> find(long[] deadlocked, Map<Long, ThreadSnapshot> byId) {
        long[] ids = deadlocked.clone();
        Arrays.sort(ids);
        Set<Long> done = new HashSet<>();
        List<List<Long>> cycles = new ArrayList<>();
        for (long start : ids) {
            List<Long> path = new ArrayList<>();
            long cur = start;
            while (cur >= 0 && !done.contains(cur) && !path.contains(cur)) {
                path.add(cur);
                ThreadSnapshot s = byId.get(cur);
                cur = s == null ? -1 : s.ownerId();
            }
            if (cur >= 0 && path.contains(cur)) {
                List<Long> cycle = new ArrayList<>(path.subList(path.indexOf(cur), path.size()));
                int min = cycle.indexOf(cycle.stream().min(Long::compare).orElseThrow());
                List<Long> rotated = new ArrayList<>(cycle.subList(min, cycle.size()));
                rotated.addAll(cycle.subList(0, min));
                cycles.add(rotated);
            }
            done.addAll(path);
        }
        return cycles;
    }
}
