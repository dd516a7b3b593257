package io.threadleak.core.rules;

import static io.threadleak.core.testutil.Fixtures.SECOND;
import static io.threadleak.core.testutil.Fixtures.appSite;
import static io.threadleak.core.testutil.Fixtures.f;
import static io.threadleak.core.testutil.Fixtures.snap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.registry.ExecutorRecord;
import io.threadleak.core.sample.ExecutorSnapshot;
import io.threadleak.core.sample.FutureView;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.sample.WaitTarget;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.SiteTable;
import io.threadleak.core.testutil.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StarvedRuleTest {

    private static final long STARVED_AFTER = 30 * SECOND;

    private final SiteTable table = Fixtures.table();
    private final CreationSite poolSite = appSite(table, "Orders", "newPool", 12);
    /** The executor objects: records hold them weakly. */
    private final List<Object> keep = new ArrayList<>();
    private final ExecutorRecord pool = executor(3, poolSite, ExecutorRecord.Origin.CREATED);
    private final StarvedRule rule = new StarvedRule(STARVED_AFTER, 2);

    private ExecutorRecord executor(long id, CreationSite site, ExecutorRecord.Origin origin) {
        Object executor = new Object();
        keep.add(executor);
        return new ExecutorRecord(executor, id, "ThreadPoolExecutor", site, 0, origin);
    }

    private static ExecutorSnapshot snapshot(ExecutorRecord record, boolean starving) {
        return new ExecutorSnapshot(record, 2, 2, 5, 40, starving);
    }

    /** A future whose task waits in {@code queue}'s queue. */
    private static FutureView queuedFuture(int identity, ExecutorRecord queue) {
        return new FutureView(new WaitTarget("java.util.concurrent.FutureTask", identity), false,
                FutureView.Producer.QUEUED, "its task is queued in " + queue, null, null, queue);
    }

    private static ThreadSnapshot worker(long id, ExecutorRecord executor, FutureView waitsFor) {
        return snap(id).name("pool-1-thread-" + id).record(Fixtures.worker(id, "pool-1-thread-" + id, null, executor))
                .waitsOn(new WaitTarget("java.util.concurrent.FutureTask", 0x100 + (int) id))
                .stack(f("jdk.internal.misc.Unsafe", "park", -2),
                        f("java.util.concurrent.FutureTask", "awaitDone", 444),
                        f("java.util.concurrent.FutureTask", "get", 190),
                        f("com.acme.Orders", "render", 50))
                .waitsFor(waitsFor).build();
    }

    private List<Suspect> at(long seconds, List<ThreadSnapshot> threads, ExecutorSnapshot... pools) {
        return rule.evaluate(Fixtures.sample(seconds * SECOND, threads, Map.of(), Map.of(), Map.of(), List.of(pools)));
    }

    private List<Suspect> at(long seconds, ExecutorSnapshot... pools) {
        return at(seconds, List.of(), pools);
    }

    @Test
    void aPoolStarvingForLessThanTheThresholdIsNoSuspect() {
        assertEquals(List.of(), at(0, snapshot(pool, true)));
        assertEquals(List.of(), at(10, snapshot(pool, true)));
        assertEquals(List.of(), at(29, snapshot(pool, true)));
    }

    @Test
    void aPoolStarvingForTheThresholdIsOneSuspectBlamingItsCreationSite() {
        List<ThreadSnapshot> workers = List.of(worker(21, pool, null), worker(22, pool, null), worker(23, pool, null));
        at(0, workers, snapshot(pool, true));
        List<Suspect> out = at(30, workers, snapshot(pool, true));
        assertEquals(1, out.size());
        Suspect s = out.get(0);
        assertEquals(RuleName.STARVED, s.rule());
        assertEquals("executor", s.kind());
        assertEquals("STARVED 3", s.key());
        assertSame(poolSite, s.site());
        assertEquals("com.acme.Orders.newPool(Orders.java:12)", s.blame());
        assertEquals(1, s.count(), "one executor");
        assertEquals(0, s.sinceNanos(), "since it was first seen starving");
        assertEquals(Map.of("WAITING", 3), s.states());
        assertEquals(2, s.exemplars().size(), "exemplars capped");
        assertEquals(21, s.exemplars().get(0).id());
        assertEquals("all 2 workers of ThreadPoolExecutor#3 created at com.acme.Orders.newPool(Orders.java:12) are"
                + " busy or blocked, 5 tasks wait in its queue, and none completed since", s.evidence().get(0));
        assertFalse(String.join("\n", s.evidence()).contains("pool-starvation deadlock"), s.evidence().toString());
        assertEquals(1, at(600, workers, snapshot(pool, true)).size(), "stays a suspect while it starves");
    }

    @Test
    void workersWaitingForTasksQueuedInTheSamePoolAreAPoolStarvationDeadlock() {
        List<ThreadSnapshot> workers = List.of(worker(21, pool, queuedFuture(0xaa, pool)),
                worker(22, pool, queuedFuture(0xbb, pool)));
        at(0, workers, snapshot(pool, true));
        List<Suspect> out = at(30, workers, snapshot(pool, true));
        assertEquals(1, out.size());
        List<String> evidence = out.get(0).evidence();
        assertEquals("2 of them wait for tasks queued in this same pool, behind them: a pool-starvation deadlock",
                evidence.get(0));
        assertTrue(evidence.get(1).startsWith("all 2 workers of ThreadPoolExecutor#3"), evidence.toString());
        assertTrue(evidence.contains("\"pool-1-thread-21\" #21 waits for java.util.concurrent.FutureTask@aa"
                + " (not completed); its task is queued in " + pool), evidence.toString());
        assertTrue(evidence.contains("\"pool-1-thread-22\" #22 waits for java.util.concurrent.FutureTask@bb"
                + " (not completed); its task is queued in " + pool), evidence.toString());
    }

    @Test
    void onlyWorkersWaitingOnThisPoolsQueueCountForTheDeadlock() {
        ExecutorRecord other = executor(4, appSite(table, "Billing", "newPool", 7), ExecutorRecord.Origin.CREATED);
        List<ThreadSnapshot> workers = List.of(worker(21, pool, queuedFuture(0xaa, pool)),
                worker(22, pool, queuedFuture(0xbb, other)), worker(23, other, queuedFuture(0xcc, pool)));
        at(0, workers, snapshot(pool, true));
        List<Suspect> out = at(30, workers, snapshot(pool, true));
        assertEquals(1, out.size());
        assertEquals("1 of them wait for tasks queued in this same pool, behind them: a pool-starvation deadlock",
                out.get(0).evidence().get(0));
        assertEquals(2, out.get(0).exemplars().size());
        assertTrue(out.get(0).exemplars().stream().allMatch(t -> t.record().executor() == pool),
                "only the pool's own workers are exemplars");
    }

    @Test
    void workersWaitingForAnotherPoolAreNoDeadlock() {
        ExecutorRecord other = executor(4, appSite(table, "Billing", "newPool", 7), ExecutorRecord.Origin.CREATED);
        List<ThreadSnapshot> workers = List.of(worker(21, pool, queuedFuture(0xaa, other)));
        at(0, workers, snapshot(pool, true));
        List<Suspect> out = at(30, workers, snapshot(pool, true));
        assertEquals(1, out.size());
        assertFalse(String.join("\n", out.get(0).evidence()).contains("pool-starvation deadlock"));
    }

    @Test
    void progressRestartsTheClock() {
        at(0, snapshot(pool, true));
        at(20, snapshot(pool, true));
        assertEquals(List.of(), at(25, snapshot(pool, false)), "a task completed");
        assertEquals(List.of(), at(30, snapshot(pool, true)));
        assertEquals(List.of(), at(59, snapshot(pool, true)));
        List<Suspect> out = at(60, snapshot(pool, true));
        assertEquals(1, out.size());
        assertEquals(30 * SECOND, out.get(0).sinceNanos());
    }

    @Test
    void aPoolMissingFromASampleRestartsTheClock() {
        at(0, snapshot(pool, true));
        at(20);
        assertEquals(List.of(), at(30, snapshot(pool, true)));
        assertEquals(1, at(60, snapshot(pool, true)).size());
    }

    @Test
    void poolsAreTrackedIndependently() {
        ExecutorRecord other = executor(4, appSite(table, "Billing", "newPool", 7), ExecutorRecord.Origin.CREATED);
        at(0, snapshot(pool, true));
        at(20, snapshot(pool, true), snapshot(other, true));
        List<Suspect> out = at(30, snapshot(pool, true), snapshot(other, true));
        assertEquals(1, out.size());
        assertEquals("STARVED 3", out.get(0).key());
        List<Suspect> later = at(50, snapshot(pool, true), snapshot(other, true));
        assertEquals(2, later.size());
    }

    @Test
    void systemExecutorsAreNeverStarved() {
        ExecutorRecord system = executor(5, poolSite, ExecutorRecord.Origin.SYSTEM);
        for (long s = 0; s <= 600; s += 30) {
            assertEquals(List.of(), at(s, snapshot(system, true)));
        }
    }

    @Test
    void executorsCreatedByTheJdkAloneAreNeverStarved() {
        ExecutorRecord jdk = executor(6, Fixtures.jdkSite(table), ExecutorRecord.Origin.CREATED);
        for (long s = 0; s <= 600; s += 30) {
            assertEquals(List.of(), at(s, snapshot(jdk, true)));
        }
    }

    @Test
    void aPoolCreatedBeforeTheAgentLoadedSaysSo() {
        ExecutorRecord old = executor(7, null, ExecutorRecord.Origin.PREEXISTING);
        at(0, snapshot(old, true));
        List<Suspect> out = at(30, snapshot(old, true));
        assertEquals(1, out.size());
        assertNull(out.get(0).site());
        assertEquals("<unknown: ThreadPoolExecutor#7 was created before the agent loaded>", out.get(0).blame());
    }
}
