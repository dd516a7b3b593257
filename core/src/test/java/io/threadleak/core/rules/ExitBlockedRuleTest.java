package io.threadleak.core.rules;

import static io.threadleak.core.testutil.Fixtures.SECOND;
import static io.threadleak.core.testutil.Fixtures.appSite;
import static io.threadleak.core.testutil.Fixtures.sample;
import static io.threadleak.core.testutil.Fixtures.snap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static io.threadleak.core.testutil.Fixtures.f;

import io.threadleak.core.sample.Activity;
import io.threadleak.core.sample.ServerProcess;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.SiteTable;
import io.threadleak.core.testutil.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExitBlockedRuleTest {

    private final SiteTable table = Fixtures.table();
    private final CreationSite forgotten = appSite(table, "Main", "startHeartbeat", 30);
    private final CreationSite other = appSite(table, "Cache", "startRefresher", 12);
    /** No /proc: only stack evidence tells a server here. */
    private final ExitBlockedRule rule = new ExitBlockedRule(10 * SECOND, 3, Fixtures.POLICY,
            new ServerProcess(Path.of("/nonexistent-proc")));

    private final List<ThreadSnapshot> threads = List.of(
            snap(1).site(forgotten).state(Thread.State.TIMED_WAITING, Activity.SLEEPING).build(),
            snap(2).site(forgotten).state(Thread.State.TIMED_WAITING, Activity.SLEEPING).build(),
            snap(3).site(other).build(),
            snap(4).site(other).daemon(true).build(),
            snap(5).site(appSite(table, "Vt", "spawn", 1)).virtual(true).build(),
            snap(6).name("DestroyJavaVM").exempt(true).state(Thread.State.RUNNABLE, Activity.RUNNING).build(),
            snap(7).site(appSite(table, "Daemons", "spawn", 2)).daemon(true).build());

    @Test
    void nothingWhileMainIsAlive() {
        assertEquals(List.of(), rule.evaluate(sample(100 * SECOND, threads, List.of(), -1)));
    }

    @Test
    void nothingBeforeExitAfter() {
        assertEquals(List.of(), rule.evaluate(sample(14 * SECOND, threads, List.of(), 5 * SECOND)));
    }

    @Test
    void afterExitAfterOneSuspectPerSiteOfNonDaemonPlatformThreads() {
        List<Suspect> out = rule.evaluate(sample(15 * SECOND, threads, List.of(), 5 * SECOND));
        assertEquals(2, out.size());
        Suspect a = out.get(0);
        assertEquals(RuleName.EXIT_BLOCKED, a.rule());
        assertSame(forgotten, a.site());
        assertEquals("com.acme.Main.startHeartbeat(Main.java:30)", a.blame());
        assertEquals(2, a.count());
        assertEquals(Map.of("SLEEPING", 2), a.states(), "sleeping threads keep the JVM alive too");
        assertEquals(5 * SECOND, a.sinceNanos());
        assertTrue(a.evidence().get(0).contains("10000 ms"), a.evidence().get(0));
        Suspect b = out.get(1);
        assertSame(other, b.site());
        assertEquals(1, b.count(), "the daemon thread of the same site is not counted");
        assertEquals(List.of(3L), b.exemplars().stream().map(ThreadSnapshot::id).toList());
    }

    @Test
    void onlyDaemonVirtualAndExemptThreadsLeftMeansNothing() {
        List<ThreadSnapshot> harmless = threads.subList(3, threads.size());
        assertEquals(List.of(), rule.evaluate(sample(60 * SECOND, harmless, List.of(), 0)));
    }

    @Test
    void threadsWithoutRecordAreGroupedByTheFrameTheyRun() {
        ThreadSnapshot a = snap(11).stack(Fixtures.f("com.acme.Legacy", "loop", 5)).build();
        ThreadSnapshot b = snap(12).stack(Fixtures.f("com.acme.Legacy", "loop", 5)).build();
        List<Suspect> out = rule.evaluate(sample(60 * SECOND, List.of(a, b), List.of(), 0));
        assertEquals(1, out.size());
        assertEquals(2, out.get(0).count());
        assertEquals("com.acme.Legacy.loop(Legacy.java:5)", out.get(0).blame());
    }

    @Test
    void aProcessWithAThreadWaitingForConnectionsServesAndIsNotBlocked() {
        StackTraceElement[] dispatcher = {
            f("sun.nio.ch.EPoll", "wait", -2),
            f("sun.nio.ch.SelectorImpl", "select", 141),
            f("sun.net.httpserver.ServerImpl$Dispatcher", "run", 380),
            f("java.lang.Thread", "run", 833),
        };
        List<ThreadSnapshot> serving = new ArrayList<>(threads);
        serving.add(snap(8).name("HTTP-Dispatcher").site(appSite(table, "Main", "main", 9))
                .state(Thread.State.RUNNABLE, Activity.IDLE).stack(dispatcher).build());
        assertEquals(List.of(), rule.evaluate(sample(15 * SECOND, serving, List.of(), 5 * SECOND)));
    }

    @Test
    void aBlockingAcceptIsServingToo() {
        StackTraceElement[] accept = {
            f("sun.nio.ch.Net", "accept", -2),
            f("sun.nio.ch.NioSocketImpl", "accept", 760),
            f("java.net.ServerSocket", "implAccept", 675),
            f("java.net.ServerSocket", "accept", 626),
            f("com.acme.Server", "loop", 20),
        };
        List<ThreadSnapshot> serving = new ArrayList<>(threads);
        serving.add(snap(8).daemon(true).state(Thread.State.RUNNABLE, Activity.IDLE).stack(accept).build());
        assertEquals(List.of(), rule.evaluate(sample(15 * SECOND, serving, List.of(), 5 * SECOND)));
    }

    @Test
    void whileTheJvmRunsItsShutdownSequenceNothingIsBlocked() {
        StackTraceElement[] exit = {
            f("java.lang.Thread", "join", 1304),
            f("java.lang.ApplicationShutdownHooks", "runHooks", 107),
            f("java.lang.Shutdown", "runHooks", 130),
            f("java.lang.Shutdown", "exit", 173),
            f("java.lang.Runtime", "exit", 115),
            f("java.lang.System", "exit", 1860),
            f("com.acme.Main", "stop", 50),
        };
        List<ThreadSnapshot> exiting = new ArrayList<>(threads);
        exiting.add(snap(8).stack(exit).build());
        assertEquals(List.of(), rule.evaluate(sample(15 * SECOND, exiting, List.of(), 5 * SECOND)));
    }

    @Test
    void aListeningSocketOfTheProcessMeansItServes(@org.junit.jupiter.api.io.TempDir Path proc) throws Exception {
        Files.createDirectories(proc.resolve("net"));
        Files.writeString(proc.resolve("net/tcp"), String.join("\n",
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1",
                "   1: 0100007F:9C40 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 4343 1"));
        Files.createDirectories(proc.resolve("fd"));
        ExitBlockedRule onLinux = new ExitBlockedRule(10 * SECOND, 3, Fixtures.POLICY, new ServerProcess(proc));
        assertEquals(2, onLinux.evaluate(sample(15 * SECOND, threads, List.of(), 5 * SECOND)).size(),
                "a listening socket of another process does not count");
        Files.createSymbolicLink(proc.resolve("fd/7"), Path.of("socket:[4242]"));
        ExitBlockedRule listening = new ExitBlockedRule(10 * SECOND, 3, Fixtures.POLICY, new ServerProcess(proc));
        assertEquals(List.of(), listening.evaluate(sample(15 * SECOND, threads, List.of(), 5 * SECOND)));
    }
}
