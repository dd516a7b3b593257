package io.threadleak.core.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.sample.Sample;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.SiteTable;
import io.threadleak.core.testutil.Fixtures;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrendsTest {

    private final SiteTable table = Fixtures.table();
    private final CreationSite orders = Fixtures.appSite(table, "Orders", "start", 10);
    private final CreationSite pools = Fixtures.appSite(table, "Pools", "make", 20);

    private static Sample sample(long millis, Map<CreationSite, Integer> threads, Map<CreationSite, Integer> executors,
                                 Map<CreationSite, Integer> timers, Map<CreationSite, Integer> queued) {
        return new Sample(millis * 1_000_000L, millis, List.of(), threads, executors, List.of(), 0, -1, timers,
                queued, List.of());
    }

    private static Trends.SiteTrend site(Trends.View v, CreationSite s) {
        return v.sites().stream().filter(t -> t.site().equals(s.id())).findFirst().orElseThrow();
    }

    @Test
    void onePointPerSampleForEachKindOfCount() {
        Trends t = new Trends();
        t.add(sample(1000, Map.of(orders, 1), Map.of(), Map.of(), Map.of()));
        t.add(sample(2000, Map.of(orders, 2), Map.of(pools, 1), Map.of(pools, 3), Map.of(pools, 7)));
        t.add(sample(3000, Map.of(), Map.of(pools, 1), Map.of(), Map.of()));
        Trends.View v = t.view();
        assertEquals(1, v.samplesPerPoint());
        assertArrayEquals(new long[] {1000, 2000, 3000}, v.times());
        Trends.SiteTrend o = site(v, orders);
        assertArrayEquals(new int[] {1, 2, 0}, o.threads(), "a site gone from a sample counts 0 there");
        assertEquals(orders.blame(), o.blame());
        Trends.SiteTrend p = site(v, pools);
        assertArrayEquals(new int[] {0, 0, 0}, p.threads());
        assertArrayEquals(new int[] {0, 1, 1}, p.executors(), "a site first seen later has 0 before");
        assertArrayEquals(new int[] {0, 3, 0}, p.timers());
        assertArrayEquals(new int[] {0, 7, 0}, p.queued());
        assertEquals(7, p.peak());
        assertEquals(List.of(pools.id(), orders.id()), v.sites().stream().map(Trends.SiteTrend::site).toList(),
                "highest peak first");
    }

    @Test
    void aWeekOfSamplesStaysBoundedAndKeepsItsPeak() {
        Trends t = new Trends();
        int samples = 7 * 24 * 3600 / 5; // a week at the default sample period
        int peakAt = 12_345;
        for (int i = 0; i < samples; i++) {
            int n = i == peakAt ? 500 : i % 10;
            t.add(sample(i * 5000L, Map.of(orders, n), Map.of(), Map.of(), Map.of()));
        }
        Trends.View v = t.view();
        assertTrue(v.times().length <= Trends.MAX_POINTS, "points: " + v.times().length);
        assertTrue(v.times().length > Trends.MAX_POINTS / 2, "points: " + v.times().length);
        assertEquals(500, site(v, orders).peak(), "a one-sample peak survives downsampling");
        assertEquals((samples - 1) * 5000L, v.times()[v.times().length - 1], "the last point is the latest sample");
        long[] sorted = v.times().clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, v.times());
        assertTrue(v.samplesPerPoint() >= samples / Trends.MAX_POINTS, "samples per point: " + v.samplesPerPoint());
    }

    @Test
    void halvingMergesNeighboursWithTheirLargerCount() {
        Trends t = new Trends(4, 10);
        int[] counts = {1, 5, 2, 3, 4, 0};
        for (int i = 0; i < counts.length; i++) {
            t.add(sample(i, Map.of(orders, counts[i]), Map.of(), Map.of(), Map.of()));
        }
        Trends.View v = t.view();
        // 4 points full at the 5th sample: [1,5,2,3] -> [5,3], then samples 4 and 5 share a point
        assertEquals(2, v.samplesPerPoint());
        assertArrayEquals(new int[] {5, 3, 4}, site(v, orders).threads());
        assertArrayEquals(new long[] {1, 3, 5}, v.times());
    }

    @Test
    void sitesPastTheCapAreFoldedIntoOneSeries() {
        Trends t = new Trends(8, 2);
        Map<CreationSite, Integer> threads = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            threads.put(Fixtures.appSite(table, "S" + i, "run", i + 1), 2);
        }
        t.add(sample(1, threads, Map.of(), Map.of(), Map.of()));
        t.add(sample(2, threads, Map.of(), Map.of(), Map.of()));
        Trends.View v = t.view();
        assertEquals(3, v.sites().size());
        Trends.SiteTrend other = v.sites().get(2);
        assertEquals(Trends.OTHER, other.site());
        assertEquals(3, v.foldedSites());
        assertArrayEquals(new int[] {6, 6}, other.threads());
    }

    @Test
    void emptyUntilTheFirstSample() {
        Trends.View v = new Trends().view();
        assertEquals(0, v.times().length);
        assertEquals(List.of(), v.sites());
    }
}
