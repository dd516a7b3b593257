package io.threadleak.core.rules;

import static io.threadleak.core.testutil.Fixtures.SECOND;
import static io.threadleak.core.testutil.Fixtures.appSite;
import static io.threadleak.core.testutil.Fixtures.latch;
import static io.threadleak.core.testutil.Fixtures.latchWait;
import static io.threadleak.core.testutil.Fixtures.sample;
import static io.threadleak.core.testutil.Fixtures.snap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.registry.ExecutorRecord;
import io.threadleak.core.sample.Activity;
import io.threadleak.core.sample.ExecutorSnapshot;
import io.threadleak.core.sample.FutureView;
import io.threadleak.core.sample.TaskState;
import io.threadleak.core.sample.TaskView;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.sample.WaitTarget;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.SiteTable;
import io.threadleak.core.testutil.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StuckRuleTest {

    private static final long STUCK_AFTER = 60 * SECOND;

    private final SiteTable table = Fixtures.table();
    private final CreationSite site = appSite(table, "Orders", "startWaiter", 21);
    private final StuckRule rule = new StuckRule(STUCK_AFTER, 2, Fixtures.POLICY);

    private ThreadSnapshot waiting(long id) {
        return snap(id).site(site).waitsOn(latch(0xabc)).stack(latchWait("Waiter", "run", 14)).waitCount(3).build();
    }

    private List<Suspect> at(long seconds, ThreadSnapshot... threads) {
        return rule.evaluate(sample(seconds * SECOND, threads));
    }

    @Test
    void firesOnlyAfterStuckAfterOfAnUnchangedWait() {
        assertEquals(List.of(), at(0, waiting(1)));
        assertEquals(List.of(), at(30, waiting(1)));
        assertEquals(List.of(), at(59, waiting(1)));
        List<Suspect> out = at(60, waiting(1));
        assertEquals(1, out.size());
        Suspect s = out.get(0);
        assertEquals(RuleName.STUCK, s.rule());
        assertEquals("thread", s.kind());
        assertSame(site, s.site());
        assertEquals("com.acme.Orders.startWaiter(Orders.java:21)", s.blame());
        assertEquals(1, s.count());
        assertEquals(0, s.sinceNanos());
        assertEquals(latch(0xabc), s.waitsOn());
        assertEquals(Map.of("WAITING", 1), s.states());
        assertEquals(1, s.exemplars().get(0).id());
        assertEquals(List.of("1 thread waits without progress"), s.evidence());
        assertEquals("STUCK " + site.id(), s.key());
        assertEquals(1, at(600, waiting(1)).size(), "stays stuck");
    }

    @Test
    void aThreadTheSamplerFollowsIsStuckFromWhenTheSamplerFirstSawItsWait() {
        // the sampler says since when the thread waits unchanged; the rule needs no earlier sample of its own
        ThreadSnapshot followed = snap(1).site(site).waitsOn(latch(0xabc)).stack(latchWait("Waiter", "run", 14))
                .waitCount(3).unchangedSince(10 * SECOND).build();
        assertEquals(List.of(), at(69, followed));
        List<Suspect> out = at(70, followed);
        assertEquals(1, out.size());
        assertEquals(10 * SECOND, out.get(0).sinceNanos());
        ThreadSnapshot woke = snap(1).site(site).waitsOn(latch(0xabc)).stack(latchWait("Waiter", "run", 14))
                .waitCount(4).unchangedSince(71 * SECOND).build();
        assertEquals(List.of(), at(72, woke), "the sampler saw it wake: its wait starts again");
        assertEquals(1, at(131, woke).size());
    }

    @Test
    void aChangedWaitCountRestartsTheClock() {
        at(0, waiting(1));
        at(30, snap(1).site(site).waitsOn(latch(0xabc)).stack(latchWait("Waiter", "run", 14)).waitCount(4).build());
        ThreadSnapshot again = snap(1).site(site).waitsOn(latch(0xabc)).stack(latchWait("Waiter", "run", 14))
                .waitCount(4).build();
        assertEquals(List.of(), rule.evaluate(sample(60 * SECOND, again)));
        assertEquals(List.of(), rule.evaluate(sample(89 * SECOND, again)));
        List<Suspect> out = rule.evaluate(sample(90 * SECOND, again));
        assertEquals(1, out.size());
        assertEquals(30 * SECOND, out.get(0).sinceNanos());
    }

    @Test
    void aChangedStackRestartsTheClock() {
        at(0, waiting(1));
        ThreadSnapshot moved = snap(1).site(site).waitsOn(latch(0xabc)).stack(latchWait("Waiter", "run", 15))
                .waitCount(3).build();
        assertEquals(List.of(), rule.evaluate(sample(30 * SECOND, moved)));
        assertEquals(List.of(), rule.evaluate(sample(60 * SECOND, moved)));
        assertEquals(1, rule.evaluate(sample(90 * SECOND, moved)).size());
    }

    @Test
    void aChangedTargetRestartsTheClock() {
        at(0, waiting(1));
        ThreadSnapshot other = snap(1).site(site).waitsOn(latch(0xdef)).stack(latchWait("Waiter", "run", 14))
                .waitCount(3).build();
        assertEquals(List.of(), rule.evaluate(sample(30 * SECOND, other)));
        assertEquals(List.of(), rule.evaluate(sample(60 * SECOND, other)));
        assertEquals(1, rule.evaluate(sample(90 * SECOND, other)).size());
    }

    @Test
    void aSampleWhereTheThreadDoesNotWaitRestartsTheClock() {
        at(0, waiting(1));
        ThreadSnapshot running = snap(1).site(site).state(Thread.State.RUNNABLE, Activity.RUNNING)
                .stack(latchWait("Waiter", "run", 14)).waitCount(3).build();
        at(30, running);
        assertEquals(List.of(), at(60, waiting(1)));
        assertEquals(List.of(), at(119, waiting(1)));
        assertEquals(1, at(120, waiting(1)).size());
    }

    @Test
    void blockedThreadsCanBeStuckToo() {
        ThreadSnapshot blocked = snap(1).site(site).state(Thread.State.BLOCKED, Activity.BLOCKED)
                .waitsOn(new io.threadleak.core.sample.WaitTarget("java.lang.Object", 7)).owner(2, "holder")
                .stack(Fixtures.f("com.acme.Account", "transfer", 88)).build();
        rule.evaluate(sample(0, blocked));
        List<Suspect> out = rule.evaluate(sample(60 * SECOND, blocked));
        assertEquals(1, out.size());
        assertEquals(Map.of("BLOCKED", 1), out.get(0).states());
        assertEquals("\"holder\" #2", out.get(0).owner());
    }

    @Test
    void idleSleepingAndRunningThreadsAreNeverStuck() {
        ThreadSnapshot idle = snap(1).site(site).state(Thread.State.WAITING, Activity.IDLE).waitsOn(latch(1)).build();
        ThreadSnapshot sleeping = snap(2).site(site).state(Thread.State.TIMED_WAITING, Activity.SLEEPING).build();
        ThreadSnapshot running = snap(3).site(site).state(Thread.State.RUNNABLE, Activity.RUNNING).build();
        for (long s = 0; s <= 600; s += 60) {
            assertEquals(List.of(), at(s, idle, sleeping, running));
        }
    }

    @Test
    void threadsInADeadlockCycleAreLeftToTheDeadlockRule() {
        ThreadSnapshot a = snap(1).site(site).state(Thread.State.BLOCKED, Activity.BLOCKED).owner(2, "b").build();
        ThreadSnapshot b = snap(2).site(site).state(Thread.State.BLOCKED, Activity.BLOCKED).owner(1, "a").build();
        for (long s = 0; s <= 600; s += 60) {
            assertEquals(List.of(), rule.evaluate(sample(s * SECOND, List.of(a, b), List.of(List.of(1L, 2L)), -1)));
        }
    }

    @Test
    void exemptThreadsAreSkipped() {
        ThreadSnapshot exempt = snap(1).site(site).waitsOn(latch(1)).exempt(true).build();
        at(0, exempt);
        assertEquals(List.of(), at(120, exempt));
    }

    @Test
    void stuckThreadsOfOneSiteAreOneSuspect() {
        CreationSite otherSite = appSite(table, "Billing", "startPoller", 70);
        ThreadSnapshot other = snap(9).site(otherSite).waitsOn(latch(5)).stack(latchWait("Poller", "run", 3)).build();
        at(0, waiting(3), other);
        at(10, waiting(3), waiting(1), other);
        at(20, waiting(3), waiting(1), waiting(2), other);
        List<Suspect> out = at(80, waiting(1), waiting(2), waiting(3), other);
        assertEquals(2, out.size());
        Suspect s = out.stream().filter(x -> x.site() == site).findFirst().orElseThrow();
        assertEquals(3, s.count());
        assertEquals(0, s.sinceNanos(), "since the longest wait");
        assertEquals(2, s.exemplars().size(), "exemplars capped");
        assertEquals(3, s.exemplars().get(0).id(), "longest waiting first");
        assertEquals(1, s.exemplars().get(1).id());
        assertEquals(List.of("3 threads wait without progress"), s.evidence());
        Suspect o = out.stream().filter(x -> x.site() == otherSite).findFirst().orElseThrow();
        assertEquals(1, o.count());
        assertEquals("com.acme.Billing.startPoller(Billing.java:70)", o.blame());
    }

    @Test
    void threadWithoutRecordIsBlamedByTheFirstAppFrameItRuns() {
        ThreadSnapshot unknown = snap(4).waitsOn(latch(1)).stack(latchWait("Legacy", "await", 99)).build();
        assertNull(unknown.site());
        at(0, unknown);
        List<Suspect> out = at(60, unknown);
        assertEquals(1, out.size());
        assertNull(out.get(0).site());
        assertEquals("com.acme.Legacy.await(Legacy.java:99)", out.get(0).blame());
        assertEquals("STUCK at com.acme.Legacy.await(Legacy.java:99)", out.get(0).key());
    }

    @Test
    void threadWithoutRecordOrAppFrameFallsBackToLibraryOrNamesTheThread() {
        ThreadSnapshot lib = snap(4).waitsOn(latch(1)).stack(Fixtures.f("java.lang.Object", "wait", -2),
                Fixtures.f("org.lib.Pool", "borrow", 12)).build();
        ThreadSnapshot jdk = snap(5).name("mystery").waitsOn(latch(2)).stack(Fixtures.f("java.lang.Object", "wait", -2))
                .build();
        at(0, lib, jdk);
        List<Suspect> out = at(60, lib, jdk);
        assertEquals(2, out.size());
        assertEquals("org.lib.Pool.borrow(Pool.java:12)", out.get(0).blame());
        assertTrue(out.get(1).blame().contains("\"mystery\""), out.get(1).blame());
    }

    private final Object executorObject = new Object();
    private final CreationSite poolSite = appSite(table, "Reports", "newPool", 9);
    private final ExecutorRecord pool = new ExecutorRecord(executorObject, 3, "ThreadPoolExecutor", poolSite, 0,
            ExecutorRecord.Origin.CREATED);

    private ThreadSnapshot poolWorker(long id, TaskView task, FutureView future) {
        return snap(id).name("w-" + id).record(Fixtures.worker(id, "w-" + id, site, pool))
                .waitsOn(new WaitTarget("java.util.concurrent.CompletableFuture$Signaller", 0x51))
                .stack(Fixtures.f("jdk.internal.misc.Unsafe", "park", -2),
                        Fixtures.f("java.util.concurrent.CompletableFuture", "waitingGet", 1864),
                        Fixtures.f("java.util.concurrent.CompletableFuture", "get", 2029),
                        Fixtures.f("com.acme.Reports", "render", 31),
                        Fixtures.f("java.util.concurrent.FutureTask", "run", 264))
                .task(task).waitsFor(future).build();
    }

    private List<Suspect> atWithPool(long seconds, boolean starving, ThreadSnapshot... threads) {
        return rule.evaluate(Fixtures.sample(seconds * SECOND, List.of(threads), Map.of(), Map.of(), Map.of(),
                List.of(new ExecutorSnapshot(pool, 1, 1, 3, 7, starving))));
    }

    @Test
    void aWorkerOfAStarvingExecutorIsLeftToTheStarvedRule() {
        ThreadSnapshot w = poolWorker(21, null, null);
        for (long s = 0; s <= 600; s += 60) {
            assertEquals(List.of(), atWithPool(s, true, w));
        }
    }

    @Test
    void aWorkerOfAPoolThatIsNotStarvingCanBeStuck() {
        ThreadSnapshot w = poolWorker(21, null, null);
        atWithPool(0, false, w);
        List<Suspect> out = atWithPool(60, false, w);
        assertEquals(1, out.size());
        assertSame(poolSite, out.get(0).site(), "blamed where the pool was created");
        assertEquals("thread", out.get(0).kind(), "runs no task the agent knows of");
    }

    @Test
    void starvationEndingRestartsTheWorkersClock() {
        ThreadSnapshot w = poolWorker(21, null, null);
        atWithPool(0, true, w);
        atWithPool(60, true, w);
        assertEquals(List.of(), atWithPool(90, false, w), "first seen waiting outside starvation");
        assertEquals(List.of(), atWithPool(149, false, w));
        assertEquals(1, atWithPool(150, false, w).size());
    }

    @Test
    void aStuckThreadRunningATaskIsReportedAsTheTaskWithItsCauseChain() {
        TaskView parent = new TaskView(new WaitTarget("java.util.concurrent.FutureTask", 0xaa), "com.acme.Batch$$Lambda",
                TaskState.RUNNING, null, "\"main\" #1", null, null);
        TaskView task = new TaskView(new WaitTarget("java.util.concurrent.FutureTask", 0xbb),
                "com.acme.Reports$$Lambda", TaskState.RUNNING, pool.toString(), "\"w-20\" #20", null, parent);
        FutureView future = new FutureView(new WaitTarget("java.util.concurrent.CompletableFuture", 0xcc), false,
                FutureView.Producer.NONE, "no queued task of a tracked executor completes it", null, null, null);
        ThreadSnapshot w = poolWorker(21, task, future);
        atWithPool(0, false, w);
        List<Suspect> out = atWithPool(60, false, w);
        assertEquals(1, out.size());
        Suspect s = out.get(0);
        assertEquals("task", s.kind());
        assertEquals(List.of("1 thread waits without progress",
                "pool workers of " + pool,
                "\"w-21\" #21 runs task java.util.concurrent.FutureTask@bb (runs com.acme.Reports$$Lambda), on "
                        + pool + ", submitted by \"w-20\" #20",
                "  submitted from task java.util.concurrent.FutureTask@aa (runs com.acme.Batch$$Lambda), running,"
                        + " submitted by \"main\" #1",
                "\"w-21\" #21 waits for java.util.concurrent.CompletableFuture@cc (not completed);"
                        + " no queued task of a tracked executor completes it"), s.evidence());
        assertSame(w, s.exemplars().get(0));
    }

    @Test
    void aStuckThreadWaitingForAFutureOutsideAnyTaskIsAThreadWithTheWaitInItsEvidence() {
        FutureView future = new FutureView(new WaitTarget("java.util.concurrent.CompletableFuture", 0xcc), null,
                FutureView.Producer.UNKNOWN, "what completes it is unknown", null, null, null);
        ThreadSnapshot t = snap(5).name("waiter").site(site).waitsOn(latch(1)).stack(latchWait("Waiter", "run", 14))
                .waitsFor(future).build();
        at(0, t);
        List<Suspect> out = at(60, t);
        assertEquals(1, out.size());
        assertEquals("thread", out.get(0).kind());
        assertEquals(List.of("1 thread waits without progress",
                "\"waiter\" #5 waits for java.util.concurrent.CompletableFuture@cc;"
                        + " what completes it is unknown"), out.get(0).evidence());
    }

    @Test
    void aVirtualThreadInATimedWaitWakesByItselfAndIsNeverStuck() {
        ThreadSnapshot poller = snap(1).site(site).virtual(true).waitCount(-1)
                .state(Thread.State.TIMED_WAITING, Activity.WAITING).waitsOn(latch(0xabc))
                .stack(latchWait("Poller", "run", 14)).build();
        assertEquals(List.of(), at(0, poller));
        assertEquals(List.of(), at(600, poller));
    }

    @Test
    void aVirtualThreadWhoseBlockerChangedWokeUp() {
        ThreadSnapshot a = snap(1).site(site).virtual(true).waitCount(-1).waitsOn(latch(1))
                .stack(latchWait("Waiter", "run", 14)).build();
        ThreadSnapshot b = snap(1).site(site).virtual(true).waitCount(-1).waitsOn(latch(2))
                .stack(latchWait("Waiter", "run", 14)).build();
        assertEquals(List.of(), at(0, a));
        assertEquals(List.of(), at(59, b));
        assertEquals(List.of(), at(70, a), "changed again at 70 s");
        assertEquals(1, at(130, a).size(), "unchanged from 70 s to 130 s");
    }

    @Test
    void virtualThreadsBeyondTheDetailCapCountInTheStuckCount() {
        io.threadleak.core.sample.VirtualWaits waits = new io.threadleak.core.sample.VirtualWaits();
        Object blocker = new Object();
        ThreadSnapshot detailed = snap(1).site(site).virtual(true).waitCount(-1).waitsOn(latch(0xabc))
                .stack(latchWait("Waiter", "run", 14)).build();
        List<io.threadleak.core.registry.ThreadRecord> records = new java.util.ArrayList<>();
        for (long id = 100; id < 134; id++) {
            records.add(Fixtures.record(id, "v" + id, site));
        }
        io.threadleak.core.registry.ThreadRecord timed = Fixtures.record(200, "timed", site);
        for (long t : new long[] {0, 60}) {
            waits.beginRound(t * SECOND);
            for (io.threadleak.core.registry.ThreadRecord r : records) {
                waits.observe(r, Thread.State.WAITING, blocker);
            }
            waits.observe(timed, Thread.State.TIMED_WAITING, blocker);
            waits.endRound();
            List<Suspect> out = rule.evaluate(new io.threadleak.core.sample.Sample(t * SECOND, 0, List.of(detailed),
                    Map.of(site, 36), Map.of(), List.of(), 36, -1, Map.of(), Map.of(), List.of(), waits));
            if (t == 60) {
                assertEquals(1, out.size());
                assertEquals(35, out.get(0).count(), "1 detailed + 34 counted by state and blocker; not the timed one");
            }
        }
    }
}
