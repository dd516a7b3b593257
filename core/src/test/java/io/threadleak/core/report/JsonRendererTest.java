package io.threadleak.core.report;

import static io.threadleak.core.report.ReportSamples.entry;
import static io.threadleak.core.report.ReportSamples.report;
import static io.threadleak.core.testutil.Json.arr;
import static io.threadleak.core.testutil.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.registry.ThreadRecord;
import io.threadleak.core.rules.RuleName;
import io.threadleak.core.rules.Suspect;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.testutil.Fixtures;
import io.threadleak.core.testutil.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonRendererTest {

    private final ReportSamples x = new ReportSamples();
    private final JsonRenderer json = new JsonRenderer();
    private final Report.Summary summary = new Report.Summary(10, 3, 2, 1, 4);

    private Map<String, Object> render(Report r) {
        return obj(Json.parse(json.render(r)));
    }

    @Test
    void parserRejectsBrokenJson() {
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1,}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":\"x\ny\"}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1}}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1,\"a\":2}"));
        assertEquals(Map.of("a", List.of(1L, true, "\"\n")), Json.parse("{\"a\":[1,true,\"\\\"\\n\"]}"));
    }

    @Test
    void topLevelFields() {
        Map<String, Object> doc = render(report(true, summary, List.of(entry(x.stuck(2), Status.NEW, 0)), List.of(),
                List.of()));
        assertEquals(1L, doc.get("version"));
        assertEquals(Boolean.TRUE, doc.get("final"));
        assertEquals("2023-11-14T22:13:20Z", doc.get("time"));
        Map<String, Object> s = obj(doc.get("summary"));
        assertEquals(10L, s.get("liveThreads"));
        assertEquals(3L, s.get("trackedThreads"));
        assertEquals(2L, s.get("sites"));
        assertEquals(1L, s.get("endedThreads"));
        assertEquals(4L, s.get("hookFailures"));
        assertEquals(1L, s.get("suspects"));
        assertEquals(1, arr(doc.get("suspects")).size());
        assertEquals(List.of(), arr(doc.get("resolved")));
        assertEquals(Boolean.FALSE, render(report(false, summary, List.of(), List.of(), List.of())).get("final"));
    }

    @Test
    void suspectFields() {
        Map<String, Object> doc = render(report(false, summary, List.of(entry(x.stuck(2), Status.NEW, 0)), List.of(),
                List.of()));
        Map<String, Object> s = obj(arr(doc.get("suspects")).get(0));
        assertEquals("STUCK " + x.site.id(), s.get("id"));
        assertEquals("STUCK", s.get("rule"));
        assertEquals("thread", s.get("kind"));
        assertEquals("NEW", s.get("status"));
        assertEquals(2L, s.get("count"));
        assertEquals(0L, s.get("reportedCount"));
        assertEquals("com.acme.Orders.startWaiter(Orders.java:21)", s.get("blame"));
        assertEquals(850L, s.get("ageMillis"));
        assertEquals(Map.of("WAITING", 2L), s.get("states"));
        assertEquals("java.util.concurrent.CountDownLatch$Sync@1b6d3586", s.get("waitsOn"));
        assertEquals("\"main\" #1", s.get("owner"));
        assertEquals(x.site.id(), s.get("site"));
        assertEquals(List.of("java.lang.Thread.start(Thread.java:800)", "org.lib.Pool.grow(Pool.java:5)",
                "com.acme.Orders.startWaiter(Orders.java:21)", "com.acme.Web.handle(Web.java:8)",
                "com.acme.Main.main(Main.java:3)"), s.get("creationStack"));
        assertEquals(2L, s.get("blameIndex"));
        assertEquals(s.get("blame"), arr(s.get("creationStack")).get(2), "blameIndex points at the blame frame");
        assertEquals(List.of(), s.get("createdBy"));
        assertEquals(List.of("2 threads wait without progress"), s.get("evidence"));
        List<Object> exemplars = arr(s.get("exemplars"));
        assertEquals(1, exemplars.size());
        Map<String, Object> e = obj(exemplars.get(0));
        assertEquals(31L, e.get("id"));
        assertEquals("order-waiter-1", e.get("name"));
        assertEquals("WAITING", e.get("state"));
        assertEquals("WAITING", e.get("activity"));
        assertEquals(Boolean.FALSE, e.get("daemon"));
        assertEquals(Boolean.FALSE, e.get("virtual"));
        assertEquals("STARTED", e.get("origin"));
        assertEquals("main", e.get("startedBy"));
        List<Object> stack = arr(e.get("stack"));
        assertEquals(7, stack.size());
        assertEquals("jdk.internal.misc.Unsafe.park(Native Method)", stack.get(0));
        assertEquals("com.acme.Waiter.run(Waiter.java:14)", stack.get(5));
    }

    @Test
    void inheritedBlameListsTheCreatingSites() {
        Map<String, Object> doc = render(report(false, summary, List.of(entry(x.growingChild(7), Status.GROWN, 5)),
                List.of(), List.of()));
        Map<String, Object> s = obj(arr(doc.get("suspects")).get(0));
        assertEquals("GROWING", s.get("rule"));
        assertEquals("GROWN", s.get("status"));
        assertEquals(5L, s.get("reportedCount"));
        assertEquals(-1L, s.get("blameIndex"));
        assertEquals("com.acme.Orders.startWaiter(Orders.java:21)", s.get("blame"));
        List<Object> createdBy = arr(s.get("createdBy"));
        assertEquals(1, createdBy.size());
        Map<String, Object> parent = obj(createdBy.get(0));
        assertEquals(x.site.id(), parent.get("site"));
        assertEquals(2L, parent.get("blameIndex"));
        assertEquals("com.acme.Orders.startWaiter(Orders.java:21)", arr(parent.get("creationStack")).get(2));
        assertNull(s.get("waitsOn"));
        assertTrue(s.containsKey("waitsOn"), "null fields are written, not dropped");
    }

    @Test
    void resolvedAndUnknownSites() {
        Map<String, Object> doc = render(report(false, summary, List.of(entry(x.unknownSite(), Status.NEW, 0)),
                List.of(entry(x.stuck(3), Status.RESOLVED, 3)), List.of(entry(x.stuck(3), Status.RESOLVED, 3))));
        Map<String, Object> unknown = obj(arr(doc.get("suspects")).get(0));
        assertNull(unknown.get("site"));
        assertEquals(List.of(), unknown.get("creationStack"));
        assertEquals(-1L, unknown.get("blameIndex"));
        assertEquals("UNKNOWN", obj(arr(unknown.get("exemplars")).get(0)).get("origin"));
        List<Object> resolved = arr(doc.get("resolved"));
        assertEquals(1, resolved.size());
        Map<String, Object> r = obj(resolved.get(0));
        assertEquals("RESOLVED", r.get("status"));
        assertEquals(3L, r.get("reportedCount"));
        assertEquals("2023-11-14T22:13:20Z", r.get("resolvedAt"));
        assertFalse(r.containsKey("ageMillis"));
    }

    @Test
    void stringsAreEscaped() {
        String nasty = "say \"hi\"\\ back\nline2\r\ttab\u0001\u001f end \u00e9\u2028";
        ThreadRecord record = new ThreadRecord(null, 77, nasty, false, true, x.site, 1, "creator \"q\"\n", 0, 0,
                ThreadRecord.Origin.STARTED);
        ThreadSnapshot t = Fixtures.snap(77).name(nasty).record(record).owner(2, "own\"er\u0000")
                .stack(Fixtures.f("com.acme.We\"ird", "m\n", 1)).build();
        Suspect s = new Suspect("key \"" + nasty, RuleName.STUCK, "thread", x.site, x.site.blame(), 1,
                Map.of("WAITING", 1), null, null, 0, List.of(t), List.of(nasty));
        String out = json.render(report(false, summary, List.of(entry(s, Status.NEW, 0)), List.of(), List.of()));
        for (char c = 0; c < 0x20; c++) {
            assertEquals(-1, out.indexOf(c), "raw control character " + (int) c);
        }
        assertTrue(out.contains("\\u0001"), out);
        Map<String, Object> sj = obj(arr(obj(Json.parse(out)).get("suspects")).get(0));
        assertEquals("key \"" + nasty, sj.get("id"));
        assertEquals(List.of(nasty), sj.get("evidence"));
        Map<String, Object> e = obj(arr(sj.get("exemplars")).get(0));
        assertEquals(nasty, e.get("name"));
        assertEquals("\"own\"er\u0000\" #2", e.get("owner"));
        assertEquals("creator \"q\"\n", e.get("startedBy"));
        assertEquals(List.of("com.acme.We\"ird.m\n(We\"ird.java:1)"), e.get("stack"));
    }

    @Test
    void summaryCountsTimersAndListsWhatWasNeverClosed() {
        Report.Summary withTimers = new Report.Summary(10, 3, 2, 1, 0, 4, 2,
                List.of(new Report.Unclosed("executor", x.site, 3), new Report.Unclosed("timer", x.submitSite, 1)));
        Map<String, Object> s = obj(render(report(true, withTimers, List.of(), List.of(), List.of())).get("summary"));
        assertEquals(4L, s.get("liveExecutors"));
        assertEquals(2L, s.get("liveTimers"));
        List<Object> unclosed = arr(s.get("unclosed"));
        assertEquals(2, unclosed.size());
        assertEquals(Map.of("kind", "executor", "count", 3L, "site", x.site.id(),
                "blame", "com.acme.Orders.startWaiter(Orders.java:21)"), obj(unclosed.get(0)));
        assertEquals(Map.of("kind", "timer", "count", 1L, "site", x.submitSite.id(),
                "blame", "com.acme.Batch.submitAll(Batch.java:44)"), obj(unclosed.get(1)));

        Map<String, Object> plain = obj(render(report(false, summary, List.of(), List.of(), List.of())).get("summary"));
        assertEquals(0L, plain.get("liveTimers"));
        assertEquals(List.of(), plain.get("unclosed"), "always written, empty outside the final report");
    }

    @Test
    void anExemplarRunningATaskHasItsCauseChain() {
        Map<String, Object> doc = render(report(false, summary, List.of(entry(x.cancelIgnored(), Status.NEW, 0)),
                List.of(), List.of()));
        Map<String, Object> s = obj(arr(doc.get("suspects")).get(0));
        assertEquals("CANCEL_IGNORED", s.get("rule"));
        assertEquals("task", s.get("kind"));
        Map<String, Object> e = obj(arr(s.get("exemplars")).get(0));
        Map<String, Object> task = obj(e.get("task"));
        assertEquals("java.util.concurrent.FutureTask@bb", task.get("task"));
        assertEquals("com.acme.Batch$$Lambda", task.get("body"));
        assertEquals("RUNNING", task.get("state"));
        assertEquals("ThreadPoolExecutor#3", task.get("executor"));
        assertEquals("\"batch-1\" #12", task.get("submittedBy"));
        assertEquals(x.submitSite.id(), task.get("submitSite"));
        assertEquals("com.acme.Batch.submitAll(Batch.java:44)", task.get("submitBlame"));
        Map<String, Object> parent = obj(task.get("parent"));
        assertEquals("java.util.concurrent.FutureTask@aa", parent.get("task"));
        assertEquals("CANCELLED", parent.get("state"));
        assertNull(parent.get("body"));
        assertTrue(parent.containsKey("body"), "null fields are written");
        assertNull(parent.get("executor"));
        assertNull(parent.get("submitSite"));
        assertEquals("\"main\" #1", parent.get("submittedBy"));
        assertFalse(parent.containsKey("parent"), "the chain ends");

        Map<String, Object> waits = obj(e.get("waitsFor"));
        assertEquals("java.util.concurrent.FutureTask@cc", waits.get("future"));
        assertEquals(Boolean.FALSE, waits.get("done"));
        assertEquals("QUEUED", waits.get("producer"));
        assertEquals("its task is queued in ThreadPoolExecutor#3", waits.get("via"));
        assertEquals(x.submitSite.id(), waits.get("site"));
        assertEquals("com.acme.Batch.submitAll(Batch.java:44)", waits.get("blame"));
        Map<String, Object> waitedTask = obj(waits.get("task"));
        assertEquals("QUEUED", waitedTask.get("state"));
        assertEquals("com.acme.Part", waitedTask.get("body"));
    }

    @Test
    void aFutureOfUnknownStateHasANullDoneAndNoTask() {
        io.threadleak.core.sample.FutureView unknown = new io.threadleak.core.sample.FutureView(
                new io.threadleak.core.sample.WaitTarget("java.util.concurrent.CompletableFuture", 0xdd), null,
                io.threadleak.core.sample.FutureView.Producer.UNKNOWN, "what completes it is unknown", null, null, null);
        ThreadSnapshot t = Fixtures.snap(61).name("waiter").stack(Fixtures.latchWait("W", "w", 1)).waitsFor(unknown)
                .build();
        Suspect s = new Suspect("k", RuleName.STUCK, "thread", null, "b", 1, Map.of("WAITING", 1), null, null, 0,
                List.of(t), List.of());
        Map<String, Object> e = obj(arr(obj(arr(render(report(false, summary, List.of(entry(s, Status.NEW, 0)),
                List.of(), List.of())).get("suspects")).get(0)).get("exemplars")).get(0));
        assertFalse(e.containsKey("task"), "runs no task");
        Map<String, Object> waits = obj(e.get("waitsFor"));
        assertTrue(waits.containsKey("done"));
        assertNull(waits.get("done"));
        assertEquals("UNKNOWN", waits.get("producer"));
        assertNull(waits.get("site"));
        assertNull(waits.get("blame"));
        assertFalse(waits.containsKey("task"));
    }

    @Test
    void anExemplarWithoutTaskOrFutureHasNeitherField() {
        Map<String, Object> doc = render(report(false, summary, List.of(entry(x.stuck(1), Status.NEW, 0)), List.of(),
                List.of()));
        Map<String, Object> e = obj(arr(obj(arr(doc.get("suspects")).get(0)).get("exemplars")).get(0));
        assertFalse(e.containsKey("task"));
        assertFalse(e.containsKey("waitsFor"));
    }

    @Test
    void trendsPerSite() {
        Trends t = new Trends();
        t.add(new io.threadleak.core.sample.Sample(0, 1000, List.of(), Map.of(x.site, 2), Map.of(x.site, 1),
                List.of(), 0, -1, Map.of(), Map.of(x.site, 5), List.of()));
        t.add(new io.threadleak.core.sample.Sample(1, 2000, List.of(), Map.of(x.site, 3), Map.of(), List.of(), 0,
                -1, Map.of(x.site, 1), Map.of(), List.of()));
        Map<String, Object> doc = render(report(false, summary, List.of(), List.of(), List.of()).withTrends(t.view()));
        Map<String, Object> trends = obj(doc.get("trends"));
        assertEquals(1L, trends.get("samplesPerPoint"));
        assertEquals(List.of(1000L, 2000L), trends.get("times"));
        assertEquals(0L, trends.get("foldedSites"));
        Map<String, Object> site = obj(arr(trends.get("sites")).get(0));
        assertEquals(x.site.id(), site.get("site"));
        assertEquals("com.acme.Orders.startWaiter(Orders.java:21)", site.get("blame"));
        assertEquals(Boolean.FALSE, site.get("jdk"));
        assertEquals(List.of(2L, 3L), site.get("threads"));
        assertEquals(List.of(1L, 0L), site.get("executors"));
        assertEquals(List.of(0L, 1L), site.get("timers"));
        assertEquals(List.of(5L, 0L), site.get("queued"));
        Map<String, Object> none = obj(render(report(false, summary, List.of(), List.of(), List.of())).get("trends"));
        assertEquals(List.of(), none.get("sites"));
    }
}
