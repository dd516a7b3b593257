package io.threadleak.core.jmx;

import static io.threadleak.core.testutil.Fixtures.SECOND;
import static io.threadleak.core.testutil.Fixtures.appSite;
import static io.threadleak.core.testutil.Fixtures.jdkSite;
import static io.threadleak.core.testutil.Fixtures.sample;
import static io.threadleak.core.testutil.Fixtures.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.threadleak.core.jmx.SiteMetrics.Folded;
import io.threadleak.core.jmx.SiteMetrics.Row;
import io.threadleak.core.sample.Sample;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.SiteTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SiteMetricsTest {

    private final SiteTable sites = table();

    private static Sample threads(Map<CreationSite, Integer> live) {
        return sample(SECOND, List.of(), live, Map.of(), Map.of(), List.of());
    }

    private static Map<CreationSite, Integer> counts(Object... siteAndCount) {
        Map<CreationSite, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < siteAndCount.length; i += 2) {
            m.merge((CreationSite) siteAndCount[i], (Integer) siteAndCount[i + 1], Integer::sum);
        }
        return m;
    }

    private static List<String> labels(Folded f) {
        return f.top().stream().map(Row::site).toList();
    }

    @Test
    void theTopSitesKeepRowsAndTheRestIsFoldedIntoOther() {
        CreationSite a = appSite(sites, "A", "run", 10);
        CreationSite b = appSite(sites, "B", "run", 20);
        CreationSite c = appSite(sites, "C", "run", 30);
        CreationSite d = appSite(sites, "D", "run", 40);
        Folded f = SiteMetrics.fold(threads(counts(a, 1, b, 7, c, 3, d, 2)), 2);
        assertEquals(List.of("com.acme.B.run", "com.acme.C.run"), labels(f));
        assertEquals(new Row("com.acme.B.run", 7, 0, 0, 0), f.rank(1));
        assertEquals(new Row(SiteMetrics.OTHER, 3, 0, 0, 0), f.other(), "A and D summed");
        assertEquals(2, f.folded());
        assertNull(f.rank(3));
        assertNull(f.rank(0));
    }

    @Test
    void rankingCountsThreadsExecutorsTimersAndQueuedTasksTogether() {
        CreationSite pool = appSite(sites, "Pools", "make", 10);
        CreationSite timer = appSite(sites, "Timers", "make", 10);
        CreationSite thread = appSite(sites, "Threads", "make", 10);
        Sample s = new Sample(SECOND, 0, List.of(), counts(thread, 4), counts(pool, 2), List.of(), 0, -1,
                counts(timer, 1), counts(pool, 30), List.of());
        Folded f = SiteMetrics.fold(s, 2);
        assertEquals(List.of(new Row("com.acme.Pools.make", 0, 2, 0, 30), new Row("com.acme.Threads.make", 4, 0, 0, 0)),
                f.top());
        assertEquals(new Row(SiteMetrics.OTHER, 0, 0, 1, 0), f.other());
    }

    @Test
    void tiesAreBrokenByLabelSoTheSameSampleAlwaysFoldsTheSameWay() {
        CreationSite z = appSite(sites, "Z", "run", 1);
        CreationSite m = appSite(sites, "M", "run", 1);
        CreationSite a = appSite(sites, "A", "run", 1);
        for (Map<CreationSite, Integer> order : List.of(counts(z, 5, m, 5, a, 5), counts(a, 5, z, 5, m, 5))) {
            Folded f = SiteMetrics.fold(threads(order), 2);
            assertEquals(List.of("com.acme.A.run", "com.acme.M.run"), labels(f));
            assertEquals(5, f.other().threads());
        }
    }

    @Test
    void moreRowsAllowedThanSitesLeavesOtherAtZero() {
        CreationSite a = appSite(sites, "A", "run", 10);
        CreationSite b = appSite(sites, "B", "run", 10);
        Folded f = SiteMetrics.fold(threads(counts(a, 1, b, 2)), 10);
        assertEquals(List.of("com.acme.B.run", "com.acme.A.run"), labels(f));
        assertEquals(new Row(SiteMetrics.OTHER, 0, 0, 0, 0), f.other());
        assertEquals(0, f.folded());
    }

    @Test
    void noRowsAtAllFoldsEverySiteIntoOther() {
        CreationSite a = appSite(sites, "A", "run", 10);
        CreationSite b = appSite(sites, "B", "run", 10);
        Folded f = SiteMetrics.fold(threads(counts(a, 1, b, 2)), 0);
        assertEquals(List.of(), f.top());
        assertEquals(3, f.other().threads());
        assertEquals(2, f.folded());
    }

    @Test
    void aSiteWithNothingLiveHasNoRowAndAVanishedSiteLeavesTheTable() {
        CreationSite a = appSite(sites, "A", "run", 10);
        CreationSite b = appSite(sites, "B", "run", 10);
        CreationSite c = appSite(sites, "C", "run", 10);
        assertEquals(List.of("com.acme.B.run", "com.acme.A.run"),
                labels(SiteMetrics.fold(threads(counts(a, 1, b, 3, c, 0)), 2)));
        // B's threads ended: C moves up, B is gone rather than listed at zero
        Folded later = SiteMetrics.fold(threads(counts(a, 1, c, 2)), 2);
        assertEquals(List.of("com.acme.C.run", "com.acme.A.run"), labels(later));
        assertEquals(0, later.other().total());
    }

    @Test
    void sitesBlamingTheSameMethodShareOneRowWithoutLineNumbers() {
        CreationSite line10 = appSite(sites, "Server", "handle", 10);
        CreationSite line42 = appSite(sites, "Server", "handle", 42);
        CreationSite jdk = jdkSite(sites);
        Folded f = SiteMetrics.fold(threads(counts(line10, 2, line42, 3, jdk, 1)), 5);
        assertEquals(List.of(new Row("com.acme.Server.handle", 5, 0, 0, 0), new Row(SiteMetrics.JDK, 1, 0, 0, 0)),
                f.top());
    }

    @Test
    void beforeTheFirstSampleThereIsOnlyAnEmptyOther() {
        assertEquals(List.of(), SiteMetrics.EMPTY.top());
        assertEquals(new Row(SiteMetrics.OTHER, 0, 0, 0, 0), SiteMetrics.EMPTY.other());
    }
}
