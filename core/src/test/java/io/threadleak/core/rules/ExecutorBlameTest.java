package io.threadleak.core.rules;

import static io.threadleak.core.testutil.Fixtures.POLICY;
import static io.threadleak.core.testutil.Fixtures.SECOND;
import static io.threadleak.core.testutil.Fixtures.appSite;
import static io.threadleak.core.testutil.Fixtures.latch;
import static io.threadleak.core.testutil.Fixtures.latchWait;
import static io.threadleak.core.testutil.Fixtures.sample;
import static io.threadleak.core.testutil.Fixtures.snap;
import static io.threadleak.core.testutil.Fixtures.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.registry.ExecutorRecord;
import io.threadleak.core.registry.ThreadRecord;
import io.threadleak.core.sample.Sample;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.SiteTable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pool workers count and are blamed with their executor. */
class ExecutorBlameTest {

    private final SiteTable sites = table();
    private final CreationSite workerStart = appSite(sites, "Orders", "submitOne", 40);
    private final CreationSite poolCreation = appSite(sites, "Orders", "handle", 12);

    private ThreadSnapshot worker(long id, ExecutorRecord executor) {
        ThreadRecord r = new ThreadRecord(new Thread(() -> { }), id, "pool-1-thread-" + id, false, false, workerStart,
                1, "main", 0, 0, ThreadRecord.Origin.STARTED);
        r.executor(executor);
        return snap(id).record(r).waitsOn(latch(7)).stack(latchWait("Orders", "render", 50)).build();
    }

    private ExecutorRecord executor(long id, ExecutorRecord.Origin origin) {
        return new ExecutorRecord(new Object(), id, "ThreadPoolExecutor", poolCreation, 0, origin);
    }

    @Test
    void aStuckWorkerIsBlamedWhereItsExecutorWasCreated() {
        StuckRule rule = new StuckRule(10 * SECOND, 3, POLICY);
        ThreadSnapshot w = worker(21, executor(3, ExecutorRecord.Origin.CREATED));
        rule.evaluate(sample(0, w));
        List<Suspect> suspects = rule.evaluate(sample(11 * SECOND, w));

        assertEquals(1, suspects.size());
        assertEquals("com.acme.Orders.handle(Orders.java:12)", suspects.get(0).blame());
        assertTrue(suspects.get(0).evidence().stream().anyMatch(e -> e.startsWith("pool workers of ThreadPoolExecutor#3")),
                suspects.get(0).evidence().toString());
    }

    @Test
    void workersOfAJdkSingletonKeepTheirOwnBlame() {
        StuckRule rule = new StuckRule(10 * SECOND, 3, POLICY);
        ThreadSnapshot w = worker(22, executor(4, ExecutorRecord.Origin.SYSTEM));
        rule.evaluate(sample(0, w));
        assertEquals("com.acme.Orders.submitOne(Orders.java:40)",
                rule.evaluate(sample(11 * SECOND, w)).get(0).blame());
    }

    @Test
    void executorsGrowingFromOneSiteAreSuspectsOfKindExecutor() {
        GrowingRule rule = GrowingRule.executors(3, 4, 3);
        ThreadSnapshot w = worker(23, executor(5, ExecutorRecord.Origin.CREATED));
        List<Suspect> last = List.of();
        int[] counts = {2, 4, 6, 8};
        for (int i = 0; i < counts.length; i++) {
            Sample s = new Sample(i * SECOND, 0, List.of(w), Map.of(), Map.of(poolCreation, counts[i]), List.of(), 0, -1);
            last = rule.evaluate(s);
        }
        assertEquals(1, last.size());
        Suspect s = last.get(0);
        assertEquals("executor", s.kind());
        assertEquals(8, s.count());
        assertEquals("com.acme.Orders.handle(Orders.java:12)", s.blame());
        assertEquals(List.of(w), s.exemplars());
    }
}
