package io.threadleak.core.sample;

import static io.threadleak.core.testutil.Fixtures.appSite;
import static io.threadleak.core.testutil.Fixtures.record;
import static io.threadleak.core.testutil.Fixtures.table;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.threadleak.core.registry.ThreadRecord;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.SiteTable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The waits of undetailed virtual threads, over rounds whose per-site arrays are reused. */
class VirtualWaitsTest {

    private static final long SECOND = 1_000_000_000L;
    private final SiteTable table = table();
    private final CreationSite a = appSite(table, "A", "run", 10);
    private final CreationSite b = appSite(table, "B", "run", 20);
    private final Object blocker = new Object();

    private static List<ThreadRecord> records(int from, int count, CreationSite site) {
        List<ThreadRecord> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(record(from + i, "v" + (from + i), site));
        }
        return out;
    }

    private void round(VirtualWaits waits, long nanos, List<ThreadRecord> waiting) {
        waits.beginRound(nanos);
        for (ThreadRecord r : waiting) {
            waits.observe(r, Thread.State.WAITING, blocker);
        }
        waits.endRound();
    }

    @Test
    void aRoundWithFewerWaitersCountsOnlyThem() {
        VirtualWaits waits = new VirtualWaits();
        List<ThreadRecord> many = records(100, 5000, a);
        round(waits, 0, many);
        round(waits, 10 * SECOND, many);
        assertEquals(5000, waits.waitingSince(a, 0));
        // most of them woke (not waiting this round): the array filled in earlier rounds must not count them
        round(waits, 20 * SECOND, many.subList(0, 3));
        assertEquals(3, waits.waitingSince(a, 0));
        assertEquals(3, waits.size());
        round(waits, 30 * SECOND, many.subList(0, 3));
        assertEquals(3, waits.waitingSince(a, 0), "the shrunk array still holds the round's waits");
        round(waits, 40 * SECOND, many);
        assertEquals(3, waits.waitingSince(a, 0), "the others' waits start again when next seen");
        assertEquals(5000, waits.waitingSince(a, 40 * SECOND));
    }

    @Test
    void aSiteWithNoWaiterInARoundCountsNone() {
        VirtualWaits waits = new VirtualWaits();
        List<ThreadRecord> ofA = records(1, 4, a);
        List<ThreadRecord> ofB = records(10, 2, b);
        List<ThreadRecord> both = new ArrayList<>(ofA);
        both.addAll(ofB);
        round(waits, 0, both);
        round(waits, SECOND, both);
        assertEquals(4, waits.waitingSince(a, 0));
        assertEquals(2, waits.waitingSince(b, 0));
        round(waits, 2 * SECOND, ofA);
        assertEquals(4, waits.waitingSince(a, 0));
        assertEquals(0, waits.waitingSince(b, 0));
        round(waits, 3 * SECOND, List.of());
        round(waits, 4 * SECOND, ofB);
        assertEquals(0, waits.waitingSince(a, 0));
        assertEquals(2, waits.waitingSince(b, 4 * SECOND));
        assertEquals(0, waits.waitingSince(b, 0), "b's threads were not seen waiting at 2 s and 3 s");
    }
}
