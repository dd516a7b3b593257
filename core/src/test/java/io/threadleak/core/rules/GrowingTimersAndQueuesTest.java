package io.threadleak.core.rules;

import static io.threadleak.core.testutil.Fixtures.SECOND;
import static io.threadleak.core.testutil.Fixtures.appSite;
import static io.threadleak.core.testutil.Fixtures.snap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.registry.ExecutorRecord;
import io.threadleak.core.sample.Activity;
import io.threadleak.core.sample.ExecutorSnapshot;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.SiteTable;
import io.threadleak.core.testutil.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link GrowingRule} over timers and queued tasks, and how timer threads and pool workers count. */
class GrowingTimersAndQueuesTest {

    private final SiteTable table = Fixtures.table();
    private final CreationSite timerSite = appSite(table, "Session", "open", 40);
    private final CreationSite poolSite = appSite(table, "Orders", "newPool", 12);
    private final CreationSite plainSite = appSite(table, "Requests", "handle", 33);
    /** Executors and timer threads: records hold them weakly. */
    private final List<Object> keep = new ArrayList<>();
    private long nextId = 100;
    private long t;

    private ExecutorRecord timer(CreationSite site) {
        Thread thread = new Thread(() -> { }, "Timer-" + nextId);
        keep.add(thread);
        return new ExecutorRecord(thread, nextId++, "Timer", site, 0, ExecutorRecord.Origin.CREATED, thread);
    }

    private ExecutorRecord pool(CreationSite site) {
        Object executor = new Object();
        keep.add(executor);
        return new ExecutorRecord(executor, nextId++, "ThreadPoolExecutor", site, 0, ExecutorRecord.Origin.CREATED);
    }

    /** The thread of a timer or pool: its own start site is the site where its timer or pool was created. */
    private ThreadSnapshot workerOf(ExecutorRecord executor) {
        long id = nextId++;
        return snap(id).name("worker-" + id).record(Fixtures.worker(id, "worker-" + id, executor.site(), executor))
                .state(Thread.State.WAITING, Activity.IDLE).build();
    }

    private ThreadSnapshot plain(CreationSite site) {
        long id = nextId++;
        return snap(id).site(site).build();
    }

    @Test
    void timersGrowingAtOneSiteAreASuspectWithTheirThreadsAsExemplars() {
        GrowingRule rule = GrowingRule.timers(3, 4, 2);
        List<ThreadSnapshot> threads = new ArrayList<>();
        List<Suspect> out = List.of();
        for (int count = 5; count <= 7; count++) {
            while (threads.size() < count) {
                threads.add(workerOf(timer(timerSite)));
            }
            t += SECOND;
            out = rule.evaluate(Fixtures.sample(t, List.copyOf(threads), Map.of(), Map.of(timerSite, count), Map.of(),
                    List.of()));
        }
        assertEquals(1, out.size());
        Suspect s = out.get(0);
        assertEquals(RuleName.GROWING, s.rule());
        assertEquals("timer", s.kind());
        assertEquals("GROWING timer " + timerSite.id(), s.key());
        assertSame(timerSite, s.site());
        assertEquals("com.acme.Session.open(Session.java:40)", s.blame());
        assertEquals(7, s.count());
        assertEquals(Map.of("IDLE", 7), s.states(), "every timer thread of the site is counted in states");
        assertEquals(2, s.exemplars().size(), "exemplars capped");
        assertTrue(threads.contains(s.exemplars().get(0)));
        assertEquals(List.of("live timers (not cancelled) over the last samples: 5 -> 6 -> 7",
                "their timer threads alive now: 7 sampled"), s.evidence());
    }

    @Test
    void timerThreadsAreNeitherExemplarsNorStatesOfThreadGrowth() {
        GrowingRule threadsRule = new GrowingRule(3, 4, 10);
        List<ThreadSnapshot> threads = new ArrayList<>();
        List<Suspect> out = List.of();
        for (int count = 5; count <= 7; count++) {
            while (threads.size() < 2 * count) {
                threads.add(plain(timerSite));
                threads.add(workerOf(timer(timerSite)));
            }
            t += SECOND;
            // as the sampler counts them: only the plain threads are live threads of the site
            out = threadsRule.evaluate(Fixtures.sample(t, List.copyOf(threads), Map.of(timerSite, count),
                    Map.of(timerSite, count), Map.of(), List.of()));
        }
        assertEquals(1, out.size());
        Suspect s = out.get(0);
        assertEquals("thread", s.kind());
        assertEquals(7, s.count());
        assertEquals(Map.of("WAITING", 7), s.states(), "the 7 idle timer threads are not counted");
        assertEquals(7, s.exemplars().size());
        assertTrue(s.exemplars().stream().allMatch(x -> x.record().executor() == null), s.exemplars().toString());
    }

    @Test
    void poolWorkersAreNotTimerExemplarsAndTimerThreadsAreNotQueuedTaskExemplars() {
        GrowingRule timers = GrowingRule.timers(3, 4, 10);
        GrowingRule queued = GrowingRule.queuedTasks(3, 4, 10);
        // one site that created both a pool and timers
        CreationSite both = appSite(table, "Scheduler", "start", 8);
        ExecutorRecord pool = pool(both);
        List<ThreadSnapshot> threads = new ArrayList<>();
        threads.add(workerOf(pool));
        threads.add(workerOf(pool));
        List<Suspect> timerOut = List.of();
        List<Suspect> queuedOut = List.of();
        for (int count = 5; count <= 7; count++) {
            threads.add(workerOf(timer(both)));
            t += SECOND;
            var sample = Fixtures.sample(t, List.copyOf(threads), Map.of(), Map.of(both, count), Map.of(both, count),
                    List.of(new ExecutorSnapshot(pool, 2, 1, count, 10, false)));
            timerOut = timers.evaluate(sample);
            queuedOut = queued.evaluate(sample);
        }
        assertEquals(1, timerOut.size());
        assertEquals(3, timerOut.get(0).exemplars().size());
        assertTrue(timerOut.get(0).exemplars().stream().allMatch(x -> x.record().executor().timer()));
        assertEquals(1, queuedOut.size());
        assertEquals(2, queuedOut.get(0).exemplars().size());
        assertTrue(queuedOut.get(0).exemplars().stream().allMatch(x -> x.record().executor() == pool));
    }

    @Test
    void queuedTasksGrowingAtOneSiteAreASuspect() {
        GrowingRule rule = GrowingRule.queuedTasks(3, 4, 2);
        ExecutorRecord pool = pool(poolSite);
        List<ThreadSnapshot> workers = List.of(workerOf(pool), workerOf(pool), workerOf(pool));
        List<Integer> fired = new ArrayList<>();
        Suspect last = null;
        for (int count : new int[] {5, 10, 20, 40}) {
            t += SECOND;
            List<Suspect> out = rule.evaluate(Fixtures.sample(t, workers, Map.of(), Map.of(), Map.of(poolSite, count),
                    List.of(new ExecutorSnapshot(pool, 3, 2, count, t, false))));
            fired.add(out.size());
            last = out.isEmpty() ? last : out.get(0);
        }
        assertEquals(List.of(0, 0, 1, 1), fired);
        assertEquals("queued task", last.kind());
        assertEquals("GROWING queued task " + poolSite.id(), last.key());
        assertEquals("com.acme.Orders.newPool(Orders.java:12)", last.blame());
        assertEquals(40, last.count());
        assertEquals(2, last.exemplars().size());
        assertEquals(List.of("tasks queued in executors created here, over the last samples: 5 -> 10 -> 20 -> 40"),
                last.evidence());
    }

    @Test
    void queuedTasksOfAStarvingPoolAreLeftToTheStarvedRule() {
        GrowingRule rule = GrowingRule.queuedTasks(3, 4, 2);
        ExecutorRecord pool = pool(poolSite);
        List<Integer> fired = new ArrayList<>();
        int[] counts = {5, 10, 20, 40, 50};
        for (int count : counts) {
            t += SECOND;
            fired.add(rule.evaluate(Fixtures.sample(t, List.of(), Map.of(), Map.of(), Map.of(poolSite, count),
                    List.of(new ExecutorSnapshot(pool, 2, 2, count, 10, true)))).size());
        }
        assertEquals(List.of(0, 0, 0, 0, 0), fired);
        // progress again: the queue's growth counts from here on
        for (int count : new int[] {60, 70, 80}) {
            t += SECOND;
            fired.add(rule.evaluate(Fixtures.sample(t, List.of(), Map.of(), Map.of(), Map.of(poolSite, count),
                    List.of(new ExecutorSnapshot(pool, 2, 2, count, t, false)))).size());
        }
        assertEquals(List.of(0, 0, 0, 0, 0, 0, 0, 1), fired);
    }

    @Test
    void aStarvingPoolStopsAnActiveQueuedTaskSuspect() {
        GrowingRule rule = GrowingRule.queuedTasks(3, 4, 2);
        ExecutorRecord pool = pool(poolSite);
        List<Integer> fired = new ArrayList<>();
        int[] counts = {5, 10, 20, 30};
        boolean[] starving = {false, false, false, true};
        for (int i = 0; i < counts.length; i++) {
            t += SECOND;
            fired.add(rule.evaluate(Fixtures.sample(t, List.of(), Map.of(), Map.of(), Map.of(poolSite, counts[i]),
                    List.of(new ExecutorSnapshot(pool, 2, 2, counts[i], 10, starving[i])))).size());
        }
        assertEquals(List.of(0, 0, 1, 0), fired);
    }

    @Test
    void aStarvingPoolOnlyHidesItsOwnSite() {
        GrowingRule rule = GrowingRule.queuedTasks(3, 4, 2);
        ExecutorRecord starving = pool(poolSite);
        CreationSite otherSite = appSite(table, "Billing", "newPool", 7);
        List<Suspect> out = List.of();
        for (int count : new int[] {5, 10, 20}) {
            t += SECOND;
            out = rule.evaluate(Fixtures.sample(t, List.of(), Map.of(), Map.of(),
                    Map.of(poolSite, count, otherSite, count),
                    List.of(new ExecutorSnapshot(starving, 2, 2, count, 10, true))));
        }
        assertEquals(1, out.size());
        assertSame(otherSite, out.get(0).site());
    }

    @Test
    void threadGrowthIgnoresTimersAndQueues() {
        GrowingRule threadsRule = new GrowingRule(3, 4, 2);
        List<Suspect> out = List.of();
        for (int count : new int[] {5, 6, 7, 8}) {
            t += SECOND;
            out = threadsRule.evaluate(Fixtures.sample(t, List.of(plain(plainSite)), Map.of(plainSite, 2),
                    Map.of(timerSite, count), Map.of(poolSite, count), List.of()));
        }
        assertEquals(List.of(), out);
    }
}
