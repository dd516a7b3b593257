package io.threadleak.core.report;

import static io.threadleak.core.report.ReportSamples.entry;
import static io.threadleak.core.report.ReportSamples.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.rules.RuleName;
import io.threadleak.core.rules.Suspect;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.testutil.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextRendererTest {

    private final ReportSamples x = new ReportSamples();
    private final TextRenderer text = new TextRenderer();
    private final Report.Summary summary = new Report.Summary(10, 3, 2, 1, 0);

    @Test
    void summaryLineCountsThreadsSitesAndChanges() {
        Report r = report(false, summary,
                List.of(entry(x.stuck(2), Status.NEW, 0), entry(x.growingChild(7), Status.GROWN, 5),
                        entry(x.unknownSite(), Status.ONGOING, 1)),
                List.of(entry(x.stuck(1), Status.RESOLVED, 1)), List.of(entry(x.stuck(1), Status.RESOLVED, 1)));
        assertEquals("10 live threads (3 tracked at 2 creation sites, 1 ended); 3 suspects (1 new, 1 grown,"
                + " 1 resolved)", text.summary(r));
    }

    @Test
    void summaryLineSingularHookFailuresAndFinal() {
        Report r = report(true, new Report.Summary(1, 1, 1, 0, 2), List.of(entry(x.stuck(1), Status.ONGOING, 1)),
                List.of(), List.of(entry(x.stuck(1), Status.RESOLVED, 1), entry(x.stuck(3), Status.RESOLVED, 3)));
        String line = text.summary(r);
        assertTrue(line.startsWith("final summary: 1 live threads"), line);
        assertTrue(line.contains(", 2 hook failures (swallowed)"), line);
        assertTrue(line.contains("; 1 suspect (0 new, 0 grown, 0 resolved)"), line);
        assertTrue(line.endsWith("; resolved during the run: 2"), line);
        assertFalse(text.summary(report(false, summary, List.of(), List.of(), List.of())).contains("hook"));
    }

    @Test
    void newBlockShowsRuleBlameMarkedCreationFrameAndExemplarStack() {
        Report r = report(false, summary, List.of(entry(x.stuck(2), Status.NEW, 0)), List.of(), List.of());
        List<String> blocks = text.blocks(r);
        assertEquals(1, blocks.size());
        String b = blocks.get(0);
        List<String> lines = b.lines().map(String::strip).toList();
        assertEquals("NEW STUCK: 2 threads created at com.acme.Orders.startWaiter(Orders.java:21), for 850ms",
                lines.get(0));
        assertTrue(lines.contains("states: 2 WAITING"), b);
        assertTrue(lines.contains("waits on: java.util.concurrent.CountDownLatch$Sync@1b6d3586 held by \"main\" #1"), b);
        assertTrue(lines.contains("2 threads wait without progress"), b);
        assertTrue(lines.contains("creation stack (>> marks the blamed frame):"), b);
        assertTrue(lines.contains("at java.lang.Thread.start(Thread.java:800)"), b);
        assertTrue(lines.contains("at org.lib.Pool.grow(Pool.java:5)"), "library frames between blame and start: " + b);
        assertTrue(lines.contains(">> at com.acme.Orders.startWaiter(Orders.java:21)"), b);
        assertEquals(1, b.lines().filter(l -> l.contains(">> at ")).count(), "exactly one marked frame");
        assertTrue(lines.contains("exemplar \"order-waiter-1\" #31 WAITING (WAITING) on "
                + "java.util.concurrent.CountDownLatch$Sync@1b6d3586:"), b);
        assertTrue(lines.contains("at java.util.concurrent.CountDownLatch.await(CountDownLatch.java:230)"), b);
        assertTrue(lines.contains("at com.acme.Waiter.run(Waiter.java:14)"), b);
    }

    @Test
    void grownBlockShowsTheIncreaseAndTheCreatingThreadsSite() {
        Report r = report(false, summary, List.of(entry(x.growingChild(7), Status.GROWN, 5)), List.of(), List.of());
        String b = text.blocks(r).get(0);
        assertTrue(b.startsWith("GROWN GROWING: 7 threads (+2) created at com.acme.Orders.startWaiter(Orders.java:21)"),
                b);
        assertTrue(b.contains("creation stack (no application frame: started by a thread created elsewhere):"), b);
        assertTrue(b.contains("at org.lib.sched.Scheduler.tick(Scheduler.java:40)"), b);
        assertTrue(b.contains("which was started by a thread created at (>> blamed):"), b);
        assertTrue(b.contains(">> at com.acme.Orders.startWaiter(Orders.java:21)"), b);
        assertTrue(b.indexOf("Scheduler.tick") < b.indexOf(">> at com.acme.Orders.startWaiter"), b);
    }

    @Test
    void unknownSiteSaysSo() {
        String b = text.block(entry(x.unknownSite(), Status.NEW, 0), ReportSamples.NOW);
        assertTrue(b.contains("creation stack: unknown"), b);
        assertFalse(b.contains(">>"), b);
    }

    @Test
    void ongoingSuspectsAreNotRepeated() {
        Report r = report(false, summary, List.of(entry(x.stuck(2), Status.ONGOING, 2)), List.of(), List.of());
        assertEquals(List.of(), text.blocks(r));
    }

    @Test
    void finalReportListsOngoingSuspectsInOneLine() {
        Report r = report(true, summary, List.of(entry(x.stuck(2), Status.ONGOING, 2)), List.of(), List.of());
        List<String> blocks = text.blocks(r);
        assertEquals(1, blocks.size());
        assertTrue(blocks.get(0).startsWith("still STUCK: 2 threads created at "
                + "com.acme.Orders.startWaiter(Orders.java:21)"), blocks.get(0));
        assertEquals(1, blocks.get(0).lines().count(), "a line, not a block");
    }

    @Test
    void resolvedSuspectsGetOneLineEachAndNoBlock() {
        Report r = report(false, summary, List.of(), List.of(entry(x.stuck(1), Status.RESOLVED, 3),
                entry(x.growingChild(1), Status.RESOLVED, 1)), List.of());
        assertEquals(List.of("RESOLVED STUCK at com.acme.Orders.startWaiter(Orders.java:21) (was 3 threads)",
                "RESOLVED GROWING at com.acme.Orders.startWaiter(Orders.java:21) (was 1 thread)"), text.resolved(r));
        assertEquals(List.of(), text.blocks(r));
    }

    @Test
    void statesSayWhenOnlySomeThreadsWereSampledInDetail() {
        Suspect s = x.stuck(2);
        Suspect bigger = new Suspect(s.key(), s.rule(), s.kind(), s.site(), s.blame(), 40, s.states(), s.waitsOn(),
                s.owner(), s.sinceNanos(), s.exemplars(), s.evidence());
        String b = text.block(entry(bigger, Status.NEW, 0), ReportSamples.NOW);
        assertTrue(b.contains("states: 2 WAITING (of 2 sampled in detail)"), b);
        assertFalse(text.block(entry(s, Status.NEW, 0), ReportSamples.NOW).contains("sampled in detail"));
    }

    @Test
    void exemplarsWithTheSameStackAreNotRepeatedAndLambdaFramesAreHidden() {
        StackTraceElement[] stack = {
            Fixtures.f("jdk.internal.misc.Unsafe", "park", -2),
            Fixtures.f("com.acme.Waiter", "lambda$start$0", 14),
            new StackTraceElement("com.acme.Waiter$$Lambda$14/0x0000000800c0b000", "run", null, -1),
            Fixtures.f("java.lang.Thread", "run", 833),
        };
        ThreadSnapshot a = Fixtures.snap(1).name("w1").site(x.site).stack(stack).build();
        ThreadSnapshot b = Fixtures.snap(2).name("w2").site(x.site).stack(stack.clone()).build();
        Suspect s = new Suspect("k", RuleName.STUCK, "thread", x.site, x.site.blame(), 2, Map.of("WAITING", 2), null,
                null, ReportSamples.NOW, List.of(a, b), List.of());
        String block = text.block(entry(s, Status.NEW, 0), ReportSamples.NOW);
        assertTrue(block.contains("exemplar \"w2\" #2 WAITING (WAITING): same stack as above"), block);
        assertEquals(1, block.lines().filter(l -> l.contains("Waiter.lambda$start$0")).count(), block);
        assertFalse(block.contains("$$Lambda"), block);
        assertTrue(block.contains("at java.lang.Thread.run(Thread.java:833)"), block);
    }

    @Test
    void finalReportNamesExecutorsAndTimersNeverClosed() {
        Report.Summary withUnclosed = new Report.Summary(10, 3, 2, 1, 0, 4, 2,
                List.of(new Report.Unclosed("executor", x.site, 3), new Report.Unclosed("timer", x.submitSite, 1),
                        new Report.Unclosed("executor", x.submitSite, 1), new Report.Unclosed("timer", x.site, 2)));
        Report r = report(true, withUnclosed, List.of(), List.of(), List.of());
        assertEquals(List.of(
                "never shut down: 3 executors created at com.acme.Orders.startWaiter(Orders.java:21)",
                "never cancelled: 1 timer created at com.acme.Batch.submitAll(Batch.java:44)",
                "never shut down: 1 executor created at com.acme.Batch.submitAll(Batch.java:44)",
                "never cancelled: 2 timers created at com.acme.Orders.startWaiter(Orders.java:21)"), text.unclosed(r));
        assertEquals(List.of(), text.unclosed(report(true, summary, List.of(), List.of(), List.of())));
    }

    @Test
    void summaryLineCountsLiveExecutorsAndTimers() {
        Report r = report(false, new Report.Summary(10, 3, 2, 1, 0, 4, 2, List.of()), List.of(), List.of(),
                List.of());
        assertTrue(text.summary(r).startsWith("10 live threads (3 tracked at 2 creation sites, 1 ended),"
                + " 4 live executors, 2 live timers; 0 suspects"), text.summary(r));
        assertFalse(text.summary(report(false, summary, List.of(), List.of(), List.of())).contains("timers"));
    }

    @Test
    void aCancelIgnoredTaskIsBlamedWhereItRunsAndItsExemplarNamesTheTask() {
        String b = text.block(entry(x.cancelIgnored(), Status.NEW, 0), ReportSamples.NOW);
        List<String> lines = b.lines().map(String::strip).toList();
        assertEquals("NEW CANCEL_IGNORED: 1 task running at com.acme.Batch.part(Batch.java:70), for 5.0s", lines.get(0));
        assertTrue(lines.contains("submit stack: not recorded (stacks=all records it); blamed on the code the task"
                + " runs"), b);
        assertTrue(lines.contains("exemplar \"pool-3-thread-1\" #60 WAITING (WAITING), running task"
                + " java.util.concurrent.FutureTask@bb (runs com.acme.Batch$$Lambda):"), b);
        assertFalse(b.contains("creation stack"), b);
    }
}
