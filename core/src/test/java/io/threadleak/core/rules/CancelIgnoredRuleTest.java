package io.threadleak.core.rules;

import static io.threadleak.core.testutil.Fixtures.SECOND;
import static io.threadleak.core.testutil.Fixtures.appSite;
import static io.threadleak.core.testutil.Fixtures.f;
import static io.threadleak.core.testutil.Fixtures.sample;
import static io.threadleak.core.testutil.Fixtures.snap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.sample.Activity;
import io.threadleak.core.sample.TaskState;
import io.threadleak.core.sample.TaskView;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.sample.WaitTarget;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.FramePolicy;
import io.threadleak.core.site.SiteTable;
import io.threadleak.core.testutil.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CancelIgnoredRuleTest {

    private static final long CANCEL_AFTER = 10 * SECOND;
    private static final String EXECUTOR = "ThreadPoolExecutor#3 created at com.acme.Crawler.<init>(Crawler.java:9)";

    private final SiteTable table = Fixtures.table();
    private final CancelIgnoredRule rule = new CancelIgnoredRule(CANCEL_AFTER, 2,
            new FramePolicy(List.of("com.acme"), List.of()));

    private static TaskView task(int identity, TaskState state, TaskView parent) {
        return new TaskView(new WaitTarget("java.util.concurrent.FutureTask", identity), "com.acme.Crawler$$Lambda",
                state, EXECUTOR, "\"main\" #1", null, parent);
    }

    /** A worker sleeping in {@code com.acme.Crawler.<method>}, called through a library, inside a FutureTask. */
    private static StackTraceElement[] crawling(String method, int line) {
        return new StackTraceElement[] {
            f("java.lang.Thread", "sleep", -2),
            f("org.lib.http.Client", "get", 77),
            f("com.acme.Crawler", method, line),
            f("com.acme.Crawler", "crawl", 22),
            f("java.util.concurrent.FutureTask", "run", 264),
            f("java.util.concurrent.ThreadPoolExecutor", "runWorker", 1136),
            f("java.lang.Thread", "run", 833),
        };
    }

    private static ThreadSnapshot running(long id, TaskView task, StackTraceElement[] stack) {
        return snap(id).name("w-" + id).state(Thread.State.TIMED_WAITING, Activity.SLEEPING).stack(stack).task(task)
                .build();
    }

    private List<Suspect> at(long seconds, ThreadSnapshot... threads) {
        return rule.evaluate(sample(seconds * SECOND, threads));
    }

    @Test
    void aCancelledTaskStillRunningAfterCancelAfterIsBlamedAtItsInnermostAppFrame() {
        ThreadSnapshot t = running(21, task(0x1234, TaskState.CANCELLED, null), crawling("fetchPage", 40));
        assertEquals(List.of(), at(5, t));
        assertEquals(List.of(), at(14, t));
        List<Suspect> out = at(15, t);
        assertEquals(1, out.size());
        Suspect s = out.get(0);
        assertEquals(RuleName.CANCEL_IGNORED, s.rule());
        assertEquals("task", s.kind());
        assertNull(s.site(), "no submit stack recorded");
        assertEquals("com.acme.Crawler.fetchPage(Crawler.java:40)", s.blame(),
                "the innermost application frame, not the library frame above it");
        assertEquals("CANCEL_IGNORED com.acme.Crawler.fetchPage(Crawler.java:40)", s.key());
        assertEquals(1, s.count());
        assertEquals(5 * SECOND, s.sinceNanos(), "since it was first seen cancelled");
        assertEquals(Map.of("SLEEPING", 1), s.states());
        assertEquals(21, s.exemplars().get(0).id());
        assertEquals("1 task runs on although its future was cancelled", s.evidence().get(0));
        assertTrue(s.evidence().contains("\"w-21\" #21 runs task java.util.concurrent.FutureTask@1234"
                + " (runs com.acme.Crawler$$Lambda), on " + EXECUTOR + ", submitted by \"main\" #1"),
                s.evidence().toString());
        assertEquals(1, at(100, t).size(), "stays a suspect while it runs");
    }

    @Test
    void belowCancelAfterNothing() {
        ThreadSnapshot t = running(21, task(1, TaskState.CANCELLED, null), crawling("fetchPage", 40));
        for (long s = 0; s < 10; s++) {
            assertEquals(List.of(), at(s, t));
        }
    }

    @Test
    void runningTasksThatWereNotCancelledAreNeverSuspects() {
        TaskView parent = task(0x77, TaskState.RUNNING, null);
        ThreadSnapshot t = running(21, task(1, TaskState.RUNNING, parent), crawling("fetchPage", 40));
        ThreadSnapshot plain = snap(22).stack(crawling("fetchPage", 40)).build();
        for (long s = 0; s <= 600; s += 60) {
            assertEquals(List.of(), at(s, t, plain));
        }
    }

    @Test
    void exemptThreadsAreSkipped() {
        ThreadSnapshot t = snap(21).stack(crawling("fetchPage", 40)).task(task(1, TaskState.CANCELLED, null))
                .exempt(true).build();
        at(0, t);
        assertEquals(List.of(), at(60, t));
    }

    @Test
    void aTaskWhoseParentWasCancelledIsASuspectNamingTheParent() {
        TaskView parent = new TaskView(new WaitTarget("java.util.concurrent.FutureTask", 0xbeef),
                "com.acme.Crawler$$Lambda", TaskState.CANCELLED, null, null, null, null);
        ThreadSnapshot t = running(21, task(0x1234, TaskState.RUNNING, parent), crawling("fetchPage", 40));
        at(0, t);
        List<Suspect> out = at(10, t);
        assertEquals(1, out.size());
        List<String> evidence = out.get(0).evidence();
        assertEquals("1 task runs on although the task that submitted it was cancelled: "
                + "java.util.concurrent.FutureTask@beef (runs com.acme.Crawler$$Lambda)", evidence.get(0));
        assertTrue(evidence.contains("  submitted from task java.util.concurrent.FutureTask@beef"
                + " (runs com.acme.Crawler$$Lambda), cancelled"), evidence.toString());
    }

    @Test
    void aCancelledGrandparentCountsToo() {
        TaskView grandparent = new TaskView(new WaitTarget("java.util.concurrent.FutureTask", 0xa1), null,
                TaskState.CANCELLED, null, null, null, null);
        TaskView parent = new TaskView(new WaitTarget("java.util.concurrent.FutureTask", 0xa2), null,
                TaskState.DONE, null, null, null, grandparent);
        ThreadSnapshot t = running(21, task(0x1234, TaskState.RUNNING, parent), crawling("fetchPage", 40));
        at(0, t);
        List<Suspect> out = at(10, t);
        assertEquals(1, out.size());
        assertEquals("1 task runs on although the task that submitted it was cancelled: "
                + "java.util.concurrent.FutureTask@a1", out.get(0).evidence().get(0));
    }

    @Test
    void tasksAreGroupedByBlame() {
        ThreadSnapshot a = running(21, task(1, TaskState.CANCELLED, null), crawling("fetchPage", 40));
        ThreadSnapshot b = running(22, task(2, TaskState.CANCELLED, null), crawling("fetchPage", 40));
        ThreadSnapshot c = running(23, task(3, TaskState.CANCELLED, null), crawling("fetchPage", 40));
        ThreadSnapshot other = running(24, task(4, TaskState.CANCELLED, null), crawling("parse", 61));
        at(0, c, b, a, other);
        List<Suspect> out = at(10, c, b, a, other);
        assertEquals(2, out.size());
        Suspect fetch = out.stream().filter(s -> s.blame().contains("fetchPage")).findFirst().orElseThrow();
        assertEquals(3, fetch.count());
        assertEquals(2, fetch.exemplars().size(), "exemplars capped");
        assertEquals(21, fetch.exemplars().get(0).id(), "by thread id");
        assertEquals(22, fetch.exemplars().get(1).id());
        assertEquals("3 tasks run on although their futures were cancelled", fetch.evidence().get(0));
        Suspect parse = out.stream().filter(s -> s.blame().contains("parse")).findFirst().orElseThrow();
        assertEquals(1, parse.count());
        assertEquals("com.acme.Crawler.parse(Crawler.java:61)", parse.blame());
    }

    @Test
    void aTaskThatStopsIsNoLongerASuspectAndItsClockRestarts() {
        ThreadSnapshot t = running(21, task(1, TaskState.CANCELLED, null), crawling("fetchPage", 40));
        at(0, t);
        assertEquals(1, at(10, t).size());
        assertEquals(List.of(), at(20), "the thread is gone");
        assertEquals(List.of(), at(30, t), "seen again: a new clock");
        assertEquals(List.of(), at(39, t));
        List<Suspect> out = at(40, t);
        assertEquals(1, out.size());
        assertEquals(30 * SECOND, out.get(0).sinceNanos());
    }

    @Test
    void aNewTaskOnTheSameThreadRestartsTheClock() {
        at(0, running(21, task(1, TaskState.CANCELLED, null), crawling("fetchPage", 40)));
        ThreadSnapshot next = running(21, task(2, TaskState.CANCELLED, null), crawling("fetchPage", 40));
        assertEquals(List.of(), at(5, next));
        assertEquals(List.of(), at(14, next));
        assertEquals(1, at(15, next).size());
    }

    @Test
    void withASubmitSiteTheSubmitSiteIsBlamed() {
        CreationSite submit = appSite(table, "Crawler", "submitAll", 55);
        TaskView task = new TaskView(new WaitTarget("java.util.concurrent.FutureTask", 9), null, TaskState.CANCELLED,
                null, null, submit, null);
        ThreadSnapshot t = running(21, task, crawling("fetchPage", 40));
        at(0, t);
        List<Suspect> out = at(10, t);
        assertEquals(1, out.size());
        assertSame(submit, out.get(0).site());
        assertEquals("com.acme.Crawler.submitAll(Crawler.java:55)", out.get(0).blame());
        assertEquals("CANCEL_IGNORED com.acme.Crawler.submitAll(Crawler.java:55)", out.get(0).key());
    }

    @Test
    void aStackWithoutAppFramesFallsBackToTheFirstNonJdkFrame() {
        StackTraceElement[] stack = {
            f("java.lang.Thread", "sleep", -2),
            f("org.lib.http.Client", "get", 77),
            f("java.util.concurrent.FutureTask", "run", 264),
        };
        ThreadSnapshot t = running(21, task(1, TaskState.CANCELLED, null), stack);
        at(0, t);
        List<Suspect> out = at(10, t);
        assertEquals(1, out.size());
        assertEquals("org.lib.http.Client.get(Client.java:77)", out.get(0).blame());
    }
}
