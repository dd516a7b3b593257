package io.threadleak.apptest;

import static io.threadleak.core.testutil.Json.arr;
import static io.threadleak.core.testutil.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.Config;
import io.threadleak.core.StackMode;
import io.threadleak.core.ThreadLeakMonitor;
import io.threadleak.core.registry.ThreadIds;
import io.threadleak.core.report.Report;
import io.threadleak.core.report.Status;
import io.threadleak.core.rules.RuleName;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.testutil.FakeClock;
import io.threadleak.core.testutil.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.helpers.NOPLogger;

/**
 * The monitor with its real sampler on this JVM; no agent: the test calls the start hook itself. Lives outside
 * {@code io.threadleak.core} because the agent's own packages are never blamed.
 */
class ThreadLeakMonitorTest {

    private static final String APP = ThreadLeakMonitorTest.class.getPackageName();

    @TempDir
    Path dir;

    private final FakeClock clock = new FakeClock();

    private ThreadLeakMonitor monitor(Path json) {
        Config config = new Config(Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(1), 3, 4,
                Duration.ofSeconds(10), json, List.of(APP), List.of(), List.of(), StackMode.THREADS, 32, 3);
        return new ThreadLeakMonitor(config, NOPLogger.NOP_LOGGER, clock, Thread.currentThread(), () -> 0);
    }

    private static void awaitState(Thread t, Thread.State state) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (t.getState() != state) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(t.getName() + " never reached " + state + ", is " + t.getState());
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void threadParkedOnALatchForeverBecomesAStuckSuspectBlamedWhereItWasStarted() throws Exception {
        Path json = dir.resolve("reports").resolve("threadleak.json");
        ThreadLeakMonitor monitor = monitor(json);
        List<Report> received = new ArrayList<>();
        monitor.addListener(received::add);

        CountDownLatch never = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stuck-on-latch");
        t.setDaemon(true);
        try {
            int line = new Throwable().getStackTrace()[0].getLineNumber() + 1;
            monitor.tracker().threadStarting(t);
            t.start();
            awaitState(t, Thread.State.WAITING);
            String blame = ThreadLeakMonitorTest.class.getName()
                    + ".threadParkedOnALatchForeverBecomesAStuckSuspectBlamedWhereItWasStarted"
                    + "(ThreadLeakMonitorTest.java:" + line + ")";

            monitor.tick();
            clock.advance(Duration.ofMillis(500));
            monitor.tick();
            assertTrue(stuckAt(monitor.report(false), blame).isEmpty(), "not before stuckAfter");
            clock.advance(Duration.ofSeconds(2));
            monitor.tick();
            Report report = monitor.report(false);

            List<Report.Entry> stuck = stuckAt(report, blame);
            assertEquals(1, stuck.size(), "suspects: " + report.suspects());
            Report.Entry e = stuck.get(0);
            assertEquals(Status.NEW, e.status());
            assertEquals(1, e.suspect().count());
            assertNotNull(e.suspect().site());
            assertTrue(e.suspect().site().blamesApplication());
            ThreadSnapshot x = e.suspect().exemplars().get(0);
            assertEquals(ThreadIds.of(t), x.id());
            assertEquals("stuck-on-latch", x.name());
            assertTrue(e.suspect().waitsOn().className().contains("CountDownLatch"), e.suspect().waitsOn().toString());
            assertTrue(report.summary().trackedThreads() >= 1);
            assertTrue(report.summary().liveThreads() >= 2);

            assertEquals(2, received.size());
            assertSame(report, received.get(1), "listeners get every report");

            assertTrue(Files.exists(json));
            assertFalse(Files.exists(json.resolveSibling("threadleak.json.tmp")));
            Map<String, Object> doc = obj(Json.parse(Files.readString(json)));
            assertEquals(1L, doc.get("version"));
            assertEquals(Boolean.FALSE, doc.get("final"));
            boolean found = false;
            for (Object o : arr(doc.get("suspects"))) {
                Map<String, Object> s = obj(o);
                if ("STUCK".equals(s.get("rule")) && blame.equals(s.get("blame"))) {
                    found = true;
                    assertEquals(1L, s.get("count"));
                    assertEquals("stuck-on-latch", obj(arr(s.get("exemplars")).get(0)).get("name"));
                }
            }
            assertTrue(found, "JSON has the STUCK suspect");

            assertEquals(1, stuckAt(monitor.report(false), blame).size());
            assertEquals(Status.ONGOING, stuckAt(received.get(2), blame).get(0).status());

            never.countDown();
            t.join(10_000);
            assertFalse(t.isAlive());
            clock.advance(Duration.ofSeconds(1));
            monitor.tick();
            assertEquals(1, monitor.registry().endedCount(), "a thread gone from the JVM is ended by the sampler");
            Report after = monitor.report(false);
            assertTrue(stuckAt(after, blame).isEmpty());
            assertTrue(after.resolvedNow().stream().anyMatch(r -> blame.equals(r.suspect().blame())),
                    "the suspect resolves once the thread is released");
        } finally {
            never.countDown();
        }
    }

    @Test
    void shutdownMakesAFinalReport() {
        Path json = dir.resolve("final.json");
        ThreadLeakMonitor monitor = monitor(json);
        Report r = monitor.shutdown();
        assertNotNull(r);
        assertTrue(r.last());
        assertEquals(Boolean.TRUE, assertDoesNotThrowParse(json).get("final"));
    }

    @Test
    void reportWithoutATickSamplesFirst() {
        ThreadLeakMonitor monitor = monitor(null);
        Report r = monitor.report(false);
        assertNotNull(r);
        assertTrue(r.summary().liveThreads() > 0);
    }

    private static Map<String, Object> assertDoesNotThrowParse(Path json) {
        try {
            return obj(Json.parse(Files.readString(json)));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Report.Entry> stuckAt(Report r, String blame) {
        return r.suspects().stream()
                .filter(e -> e.suspect().rule() == RuleName.STUCK && blame.equals(e.suspect().blame()))
                .toList();
    }
}
