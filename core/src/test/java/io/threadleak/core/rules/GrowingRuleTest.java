package io.threadleak.core.rules;

import static io.threadleak.core.testutil.Fixtures.SECOND;
import static io.threadleak.core.testutil.Fixtures.appSite;
import static io.threadleak.core.testutil.Fixtures.counts;
import static io.threadleak.core.testutil.Fixtures.snap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.sample.Activity;
import io.threadleak.core.sample.Sample;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.SiteTable;
import io.threadleak.core.testutil.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GrowingRuleTest {

    private final SiteTable table = Fixtures.table();
    private final CreationSite site = appSite(table, "Requests", "handle", 33);
    private final GrowingRule rule = new GrowingRule(3, 4, 2);
    private long t;

    /** Feeds one count per sample and returns, per sample, how many suspects fired. */
    private List<Integer> feed(CreationSite s, int... counts) {
        List<Integer> fired = new ArrayList<>();
        for (int c : counts) {
            t += SECOND;
            fired.add(rule.evaluate(counts(t, c == 0 ? Map.of() : Map.of(s, c))).size());
        }
        return fired;
    }

    @Test
    void firesAfterNRisingSamplesAboveTheFloor() {
        assertEquals(List.of(0, 0, 1), feed(site, 5, 6, 7));
    }

    @Test
    void equalSamplesNeitherBreakNorExtendTheRun() {
        assertEquals(List.of(0, 0, 0, 0, 1), feed(site, 5, 6, 6, 6, 7));
    }

    @Test
    void aFallResetsTheRun() {
        assertEquals(List.of(0, 0, 0, 0, 0, 1), feed(site, 5, 6, 5, 6, 7, 8));
    }

    @Test
    void neverFiresAtOrBelowTheFloor() {
        assertEquals(List.of(0, 0, 0, 0), feed(site, 1, 2, 3, 4));
        assertEquals(List.of(1), feed(site, 5), "the run continues: fires once above the floor");
    }

    @Test
    void resolvesWhenTheCountDropsToTheFloor() {
        assertEquals(List.of(0, 0, 1, 1, 1, 0), feed(site, 5, 6, 7, 7, 5, 4));
    }

    @Test
    void resolvesAfterFallingNTimesInARowEvenAboveTheFloor() {
        assertEquals(List.of(0, 0, 1, 1, 1, 0), feed(site, 10, 11, 12, 11, 10, 9));
    }

    @Test
    void staysActiveThroughFlatAndSingleFalls() {
        assertEquals(List.of(0, 0, 1, 1, 1, 1, 1), feed(site, 5, 6, 7, 7, 6, 7, 6));
    }

    @Test
    void resolvesWhenTheSiteDisappears() {
        assertEquals(List.of(0, 0, 1, 0, 0), feed(site, 5, 6, 7, 0, 0));
    }

    @Test
    void jdkInternalSitesNeverFire() {
        CreationSite jdk = Fixtures.jdkSite(table);
        assertTrue(jdk.jdkInternal());
        assertEquals(List.of(0, 0, 0, 0, 0), feed(jdk, 5, 6, 7, 8, 9));
    }

    @Test
    void exemptThreadsSitesNeverFire() {
        for (int c = 5; c <= 9; c++) {
            t += SECOND;
            List<ThreadSnapshot> threads = new ArrayList<>();
            for (int i = 0; i < c; i++) {
                threads.add(snap(100 + i).site(site).exempt(true).state(Thread.State.WAITING, Activity.IDLE).build());
            }
            assertEquals(List.of(), rule.evaluate(Fixtures.sample(t, threads, List.of(), -1)), "count " + c);
        }
    }

    @Test
    void sitesAreIndependent() {
        CreationSite other = appSite(table, "Other", "spawn", 7);
        List<Suspect> last = List.of();
        int[] a = {5, 6, 7};
        for (int i = 0; i < a.length; i++) {
            t += SECOND;
            last = rule.evaluate(counts(t, Map.of(site, a[i], other, 9)));
        }
        assertEquals(1, last.size());
        assertSame(site, last.get(0).site());
    }

    @Test
    void suspectNamesRuleSiteCountAndHistory() {
        List<Suspect> out = List.of();
        int[] series = {5, 6, 7, 8};
        for (int c : series) {
            t += SECOND;
            List<ThreadSnapshot> threads = new ArrayList<>();
            for (int i = 0; i < c; i++) {
                threads.add(snap(100 + i).site(site).state(Thread.State.WAITING, Activity.IDLE).build());
            }
            Sample s = Fixtures.sample(t, threads, List.of(), -1);
            out = rule.evaluate(s);
        }
        assertEquals(1, out.size());
        Suspect s = out.get(0);
        assertEquals(RuleName.GROWING, s.rule());
        assertEquals("thread", s.kind());
        assertSame(site, s.site());
        assertEquals("com.acme.Requests.handle(Requests.java:33)", s.blame());
        assertEquals(8, s.count());
        assertEquals(Map.of("IDLE", 8), s.states(), "idle workers count for GROWING");
        assertEquals(2, s.exemplars().size(), "exemplars capped");
        assertEquals(3 * SECOND, s.sinceNanos(), "since the sample in which it fired");
        assertEquals("GROWING thread " + site.id(), s.key());
        String evidence = String.join("\n", s.evidence());
        assertTrue(evidence.contains("5 -> 6 -> 7 -> 8"), evidence);
        assertTrue(evidence.contains("started here since the agent loaded"), evidence);
        assertNotNull(s.evidence());
    }

    @Test
    void sinceStaysAtTheFirstFiringWhileActive() {
        feed(site, 5, 6, 7);
        long firing = t;
        feed(site, 8, 9);
        List<Suspect> out = rule.evaluate(counts(t + SECOND, Map.of(site, 10)));
        assertEquals(firing, out.get(0).sinceNanos());
        assertEquals(10, out.get(0).count());
    }

    @Test
    void firesAgainAfterResolvingWhenGrowthResumes() {
        assertEquals(List.of(0, 0, 1, 0), feed(site, 5, 6, 7, 3));
        assertEquals(List.of(0, 0, 1), feed(site, 5, 6, 7));
    }
}
