package io.threadleak.core.rules;

import static io.threadleak.core.testutil.Fixtures.SECOND;
import static io.threadleak.core.testutil.Fixtures.appSite;
import static io.threadleak.core.testutil.Fixtures.sample;
import static io.threadleak.core.testutil.Fixtures.snap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.sample.Activity;
import io.threadleak.core.sample.DeadlockCycles;
import io.threadleak.core.sample.Sample;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.sample.WaitTarget;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.SiteTable;
import io.threadleak.core.testutil.Fixtures;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadlockRuleTest {

    private final SiteTable table = Fixtures.table();
    private final CreationSite siteA = appSite(table, "Transfers", "startA", 11);
    private final CreationSite siteB = appSite(table, "Transfers", "startB", 12);
    private final DeadlockRule rule = new DeadlockRule(Fixtures.POLICY);

    private static ThreadSnapshot blockedOn(long id, CreationSite site, int lock, long owner) {
        return snap(id).name("t" + id).site(site).state(Thread.State.BLOCKED, Activity.BLOCKED)
                .waitsOn(new WaitTarget("java.lang.Object", lock)).owner(owner, "t" + owner)
                .stack(Fixtures.f("com.acme.Transfers", "transfer", 40)).build();
    }

    private Sample deadlocked(long nanos, List<ThreadSnapshot> threads, long... deadlockedIds) {
        Map<Long, ThreadSnapshot> byId = new HashMap<>();
        threads.forEach(t -> byId.put(t.id(), t));
        return sample(nanos, threads, DeadlockCycles.find(deadlockedIds, byId), -1);
    }

    @Test
    void oneSuspectPerCycleReportedAtOnce() {
        List<ThreadSnapshot> threads = List.of(blockedOn(8, siteB, 0x1, 3), blockedOn(3, siteA, 0x2, 8),
                blockedOn(20, siteA, 0x3, 21), blockedOn(21, siteB, 0x4, 22), blockedOn(22, siteA, 0x5, 20),
                blockedOn(30, siteB, 0x2, 8));
        List<Suspect> out = rule.evaluate(deadlocked(5 * SECOND, threads, 8, 3, 20, 21, 22, 30));
        assertEquals(2, out.size());
        Suspect two = out.get(0);
        assertEquals(RuleName.DEADLOCK, two.rule());
        assertEquals("DEADLOCK [3, 8]", two.key());
        assertEquals(2, two.count(), "the thread waiting on the cycle is not part of it");
        assertSame(siteA, two.site(), "blames the cycle's first thread");
        assertEquals("com.acme.Transfers.startA(Transfers.java:11)", two.blame());
        assertEquals(List.of(3L, 8L), two.exemplars().stream().map(ThreadSnapshot::id).toList());
        assertEquals(5 * SECOND, two.sinceNanos());
        assertEquals(Map.of("BLOCKED", 2), two.states());
        assertEquals(2, two.evidence().size());
        assertTrue(two.evidence().get(0).contains("\"t3\" #3"), two.evidence().get(0));
        assertTrue(two.evidence().get(0).contains("created at com.acme.Transfers.startA(Transfers.java:11)"));
        assertTrue(two.evidence().get(0).contains("held by \"t8\" #8"), two.evidence().get(0));
        Suspect three = out.get(1);
        assertEquals("DEADLOCK [20, 21, 22]", three.key());
        assertEquals(3, three.count());
    }

    @Test
    void sinceStaysStableAcrossSamples() {
        List<ThreadSnapshot> threads = List.of(blockedOn(1, siteA, 0x1, 2), blockedOn(2, siteB, 0x2, 1));
        assertEquals(SECOND, rule.evaluate(deadlocked(SECOND, threads, 1, 2)).get(0).sinceNanos());
        assertEquals(SECOND, rule.evaluate(deadlocked(10 * SECOND, threads, 2, 1)).get(0).sinceNanos());
        assertEquals(SECOND, rule.evaluate(deadlocked(99 * SECOND, threads, 1, 2)).get(0).sinceNanos());
    }

    @Test
    void aCycleThatWentAwayStartsAfreshWhenItReturns() {
        List<ThreadSnapshot> threads = List.of(blockedOn(1, siteA, 0x1, 2), blockedOn(2, siteB, 0x2, 1));
        rule.evaluate(deadlocked(SECOND, threads, 1, 2));
        assertEquals(List.of(), rule.evaluate(sample(2 * SECOND)));
        assertEquals(3 * SECOND, rule.evaluate(deadlocked(3 * SECOND, threads, 1, 2)).get(0).sinceNanos());
    }

    @Test
    void cycleOfThreadsNotInTheSampleIsSkipped() {
        assertEquals(List.of(), rule.evaluate(sample(SECOND, List.of(), List.of(List.of(1L, 2L)), -1)));
    }
}
