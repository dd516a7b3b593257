package io.threadleak.core.sample;

import static io.threadleak.core.testutil.Fixtures.snap;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadlockCyclesTest {

    /** Snapshots where each thread {@code i} waits for a lock owned by {@code owners[i]}. */
    private static Map<Long, ThreadSnapshot> waitsFor(long... pairs) {
        Map<Long, ThreadSnapshot> byId = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            byId.put(pairs[i], snap(pairs[i]).state(Thread.State.BLOCKED, Activity.BLOCKED)
                    .owner(pairs[i + 1], "thread-" + pairs[i + 1]).build());
        }
        return byId;
    }

    @Test
    void twoCycleIsFoundOnceStartingAtTheSmallestId() {
        Map<Long, ThreadSnapshot> byId = waitsFor(12, 7, 7, 12);
        assertEquals(List.of(List.of(7L, 12L)), DeadlockCycles.find(new long[] {12, 7}, byId));
        assertEquals(List.of(List.of(7L, 12L)), DeadlockCycles.find(new long[] {7, 12}, byId));
    }

    @Test
    void threeCycleIsRotatedToStartAtTheSmallestId() {
        // 9 -> 4 -> 15 -> 9
        Map<Long, ThreadSnapshot> byId = waitsFor(9, 4, 4, 15, 15, 9);
        assertEquals(List.of(List.of(4L, 15L, 9L)), DeadlockCycles.find(new long[] {15, 9, 4}, byId));
    }

    @Test
    void threadWaitingOnACycleIsNotPartOfIt() {
        // 1 waits on 5 (a cycle member) but is not in the cycle 5 -> 3 -> 5; 20 waits on 1
        Map<Long, ThreadSnapshot> byId = waitsFor(1, 5, 5, 3, 3, 5, 20, 1);
        List<List<Long>> cycles = DeadlockCycles.find(new long[] {20, 1, 5, 3}, byId);
        assertEquals(List.of(List.of(3L, 5L)), cycles);
    }

    @Test
    void twoSeparateCyclesAreBothFound() {
        Map<Long, ThreadSnapshot> byId = waitsFor(2, 8, 8, 2, 30, 40, 40, 50, 50, 30, 60, 40);
        List<List<Long>> cycles = DeadlockCycles.find(new long[] {60, 50, 40, 30, 8, 2}, byId);
        assertEquals(List.of(List.of(2L, 8L), List.of(30L, 40L, 50L)), cycles);
    }

    @Test
    void missingSnapshotsOrOwnersYieldNoCycle() {
        Map<Long, ThreadSnapshot> byId = waitsFor(2, 8);
        assertEquals(List.of(), DeadlockCycles.find(new long[] {2, 8}, byId));
        assertEquals(List.of(), DeadlockCycles.find(new long[0], byId));
    }
}
