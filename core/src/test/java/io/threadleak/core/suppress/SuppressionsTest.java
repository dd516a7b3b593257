package io.threadleak.core.suppress;

import static io.threadleak.core.testutil.Fixtures.appSite;
import static io.threadleak.core.testutil.Fixtures.f;
import static io.threadleak.core.testutil.Fixtures.latch;
import static io.threadleak.core.testutil.Fixtures.latchWait;
import static io.threadleak.core.testutil.Fixtures.snap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.Config;
import io.threadleak.core.report.JsonRenderer;
import io.threadleak.core.report.Report;
import io.threadleak.core.rules.RuleName;
import io.threadleak.core.rules.Suspect;
import io.threadleak.core.sample.Activity;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.SiteTable;
import io.threadleak.core.testutil.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuppressionsTest {

    private final SiteTable table = Fixtures.table();
    private final CreationSite poller = appSite(table, "Poller", "start", 12);
    private final List<String> problems = new ArrayList<>();

    private static Suspect suspect(RuleName rule, CreationSite site, ThreadSnapshot... threads) {
        return new Suspect(rule + " x", rule, "thread", site, site == null ? "?" : site.blame(), threads.length,
                Map.of(), null, null, 0, List.of(threads), List.of());
    }

    private Suppressions suppressions(Path file, Pattern... ignore) {
        Config c = Config.defaults();
        c = new Config(c.interval(), c.sample(), c.stuckAfter(), c.growthSamples(), c.growthFloor(), c.exitAfter(),
                null, c.app(), c.exclude(), List.of(ignore), c.stacks(), c.stackDepth(), c.exemplars(),
                c.cancelAfter(), file);
        return new Suppressions(c, Fixtures.POLICY, null, problems::add);
    }

    @Test
    void aBadFileGivesOneLinePerBadRuleAndKeepsTheGoodOnes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("suppress.txt");
        Files.writeString(file, String.join("\n",
                "# comment",
                "",
                "rule=STUCK thread=poller-* reason=\"polls forever by design\"",
                "rule=STUCK thread=x-*",
                "rule=STUK thread=y reason=typo",
                "colour=red reason=x",
                "reason=\"matches nothing\"",
                "thread=\"unterminated reason=x",
                "rule=GROWING created=com.acme.Poller.start reason=\"JIRA-1\""));
        Suppressions s = suppressions(file);
        assertEquals(5, problems.size(), () -> String.join("\n", problems));
        assertTrue(problems.get(0).startsWith("suppression " + file + ":4: no reason"), problems.get(0));
        assertTrue(problems.get(1).contains(":5: unknown rule 'STUK'"), problems.get(1));
        assertTrue(problems.get(2).contains(":6: unknown key 'colour'"), problems.get(2));
        assertTrue(problems.get(3).contains(":7: nothing to match"), problems.get(3));
        assertTrue(problems.get(4).contains(":8: unterminated quote"), problems.get(4));
        for (String p : problems) {
            assertTrue(p.endsWith("; rule ignored") && !p.contains("\n"), p);
        }

        ThreadSnapshot t = snap(1).name("poller-1").site(poller).waitsOn(latch(1)).stack(latchWait("Poller", "run", 3))
                .build();
        List<Suspect> kept = s.apply(List.of(suspect(RuleName.STUCK, poller, t), suspect(RuleName.DEADLOCK, poller, t)));
        assertEquals(1, kept.size());
        assertEquals(RuleName.DEADLOCK, kept.get(0).rule());
        Report.Suppressed silenced = s.suppressed().get(0);
        assertEquals(file + ":3", silenced.source());
        assertEquals("polls forever by design", silenced.reason());
        assertEquals(List.of(file + ":9: rule=GROWING created=com.acme.Poller.start reason=\"JIRA-1\""), s.unused());
        s.apply(List.of(suspect(RuleName.GROWING, poller)));
        assertEquals(List.of(), s.unused(), "the creation frame matched");
    }

    @Test
    void aMissingFileIsOneLineAndNothingElse() {
        Suppressions s = suppressions(Path.of("/nonexistent/suppress.txt"));
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("cannot be read"), problems.get(0));
        assertEquals(1, s.apply(List.of(suspect(RuleName.STUCK, poller, snap(1).site(poller).build()))).size());
    }

    @Test
    void ignoreThreadsIsASuppressionWithItsReason() {
        Suppressions s = suppressions(null, Pattern.compile("legacy-.*"));
        ThreadSnapshot t = snap(1).name("legacy-7").site(poller).build();
        assertEquals(List.of(), s.apply(List.of(suspect(RuleName.STUCK, poller, t))));
        assertEquals(Suppressions.IGNORE_THREADS_REASON, s.suppressed().get(0).reason());
        ThreadSnapshot other = snap(2).name("orders").site(poller).build();
        assertEquals(1, s.apply(List.of(suspect(RuleName.STUCK, poller, t, other))).size(),
                "matches only when every example thread matches");
    }

    @Test
    void aCommonPoolWorkerIsSilencedOnlyWhileIdle() {
        Suppressions s = suppressions(null);
        ThreadSnapshot idle = snap(1).name("ForkJoinPool.commonPool-worker-1").state(Thread.State.WAITING,
                Activity.IDLE).stack(f("java.util.concurrent.ForkJoinPool", "awaitWork", 1)).build();
        assertEquals(List.of(), s.apply(List.of(suspect(RuleName.GROWING, null, idle))));
        assertTrue(s.suppressed().get(0).source().startsWith("built-in:"), s.suppressed().get(0).source());
        ThreadSnapshot stuck = snap(1).name("ForkJoinPool.commonPool-worker-1").waitsOn(latch(1))
                .stack(latchWait("Orders", "awaitPayment", 40)).build();
        assertEquals(1, s.apply(List.of(suspect(RuleName.STUCK, null, stuck))).size(),
                "a common-pool worker stuck in application code is reported");
        assertEquals(List.of(), s.suppressed());
    }

    @Test
    void suppressedFindingsStayInTheJsonReportWithTheirReason() {
        Suppressions s = suppressions(null, Pattern.compile("legacy-.*"));
        Suspect found = suspect(RuleName.STUCK, poller, snap(1).name("legacy-7").site(poller).build());
        s.apply(List.of(found));
        Report r = s.attach(new Report(0, 0, true, new Report.Summary(1, 1, 1, 0, 0), List.of(), List.of(), List.of()));
        String json = new JsonRenderer().render(r);
        assertTrue(json.contains("\"suppressed\":[{\"suppressedBy\":{\"source\":\"option ignoreThreads\""), json);
        assertTrue(json.contains("\"reason\":\"ignoreThreads option\""), json);
        assertTrue(json.contains("\"status\":\"SUPPRESSED\""), json);
        assertTrue(json.contains("\"unusedSuppressions\":[]"), json);
        assertTrue(json.contains("\"suspects\":[]"), json);
    }
}
