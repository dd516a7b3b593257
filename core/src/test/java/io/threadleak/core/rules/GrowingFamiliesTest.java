package io.threadleak.core.rules;

import static io.threadleak.core.testutil.Fixtures.SECOND;
import static io.threadleak.core.testutil.Fixtures.appSite;
import static io.threadleak.core.testutil.Fixtures.counts;
import static io.threadleak.core.testutil.Fixtures.f;
import static io.threadleak.core.testutil.Fixtures.threadStart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.SiteTable;
import io.threadleak.core.site.StackCapture;
import io.threadleak.core.testutil.Fixtures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Load is not a leak: a library pool spread over many creation sites is one family, judged by its root. */
class GrowingFamiliesTest {

    private final SiteTable table = Fixtures.table();
    private final GrowingRule rule = new GrowingRule(3, 4, 2);
    private long t;

    /** A site of a thread the library started (no application frame) from a thread of {@code creator}. */
    private CreationSite library(String path, CreationSite creator) {
        return table.intern(StackCapture.of(new StackTraceElement[] {threadStart(),
                f("org.lib.Pool", "startWorker", 10), f("org.lib.Pool", path, 20), f("java.lang.Thread", "run", 1)}),
                creator);
    }

    private List<Suspect> at(Map<CreationSite, Integer> live) {
        t += SECOND;
        return rule.evaluate(counts(t, live));
    }

    @Test
    void aSharedLibraryPoolRampingUpOverManySitesIsNotGrowing() {
        CreationSite start = appSite(table, "Server", "start", 12);      // the application starts the pool once
        CreationSite byManager = library("manage", start);
        CreationSite byWorker = library("afterTask", byManager);
        CreationSite byWorker2 = library("afterTask", byWorker);
        byWorker.onEndInternal(); // a worker ended: the pool shrinks when idle
        for (int n = 1; n <= 20; n++) {
            Map<CreationSite, Integer> live = new LinkedHashMap<>();
            live.put(start, 1);
            live.put(byManager, Math.min(n, 4));
            live.put(byWorker, n);
            live.put(byWorker2, 2 * n);
            assertEquals(List.of(), at(live), "sample " + n);
        }
    }

    @Test
    void aLibraryThreadStartingHelpersPerRequestIsOneFamilyAndGrows() {
        CreationSite housekeeper = appSite(table, "App", "startHousekeeping", 28);
        CreationSite helper = library("loop", housekeeper);
        List<Suspect> out = List.of();
        for (int n = 5; n <= 8; n++) {
            out = at(Map.of(housekeeper, 1, helper, n));
        }
        // three rises would do for threads the application starts; threads a library started have not shown yet
        // whether they are pool workers (they would wait for work or end once load drops): twice as many
        assertEquals(List.of(), out, "after 3 rises");
        for (int n = 9; n <= 11; n++) {
            out = at(Map.of(housekeeper, 1, helper, n));
        }
        assertEquals(1, out.size(), "after 6 rises");
        Suspect s = out.get(0);
        assertEquals(12, s.count(), "the family's true count: the housekeeper and its helpers");
        assertSame(helper, s.site(), "the site of most threads shows its creation stack");
        assertEquals("com.acme.App.startHousekeeping(App.java:28)", s.blame());
    }

    @Test
    void aPoolWhoseWorkersWaitForWorkIsJudgedByItsRoot() {
        CreationSite start = appSite(table, "Server", "start", 12);
        CreationSite worker = library("manage", start);
        for (int n = 5; n <= 20; n++) {
            List<io.threadleak.core.sample.ThreadSnapshot> threads = List.of(io.threadleak.core.testutil.Fixtures
                    .snap(100).site(worker).state(Thread.State.WAITING, io.threadleak.core.sample.Activity.IDLE).build());
            t += SECOND;
            assertEquals(List.of(), rule.evaluate(new io.threadleak.core.sample.Sample(t, 0, threads,
                    Map.of(start, 1, worker, n), List.of(), 0, -1)), "sample " + n);
        }
    }

    @Test
    void aLibraryPoolCreatedPerRequestGrowsThroughItsRoot() {
        CreationSite perRequest = appSite(table, "Handler", "handle", 40);
        CreationSite byManager = library("manage", perRequest);
        CreationSite byWorker = library("afterTask", byManager);
        byWorker.onEndInternal();
        List<Suspect> out = List.of();
        for (int n = 5; n <= 8; n++) {
            out = at(Map.of(perRequest, n, byManager, n, byWorker, 2 * n));
        }
        assertEquals(1, out.size(), "a new pool per request: the root's own count rises");
        assertEquals(32, out.get(0).count());
    }

    @Test
    void aSuspectThatStopsRisingIsShownAsLevelledOff() {
        CreationSite site = appSite(table, "Requests", "handle", 33);
        List<Suspect> out = new ArrayList<>();
        for (int n = 5; n <= 7; n++) {
            out = at(Map.of(site, n));
        }
        assertTrue(out.get(0).evidence().stream().noneMatch(l -> l.startsWith(GrowingRule.LEVELLED_OFF)));
        for (int i = 0; i < 9; i++) {
            out = at(Map.of(site, 7));
        }
        assertEquals(1, out.size(), "leaked threads that never end stay a suspect");
        List<String> evidence = out.get(0).evidence();
        assertTrue(evidence.get(0).startsWith(GrowingRule.LEVELLED_OFF + " at 7"), () -> "evidence: " + evidence);
    }
}
