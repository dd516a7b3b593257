package io.threadleak.core.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.rules.RuleName;
import io.threadleak.core.rules.Suspect;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.testutil.FakeClock;
import io.threadleak.core.testutil.Fixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The launcher's decisions and its child's command line, without starting a child. */
class ProofLauncherTest {

    @Test
    void theChildRunsTheAgentJarsProveCommandOnThisPidWithABoundedHeapAndAPrivateTempDir() {
        List<String> cmd = ProofLauncher.command("/jdk/bin/java", Path.of("/opt/threadleak-agent.jar"), 4242, 512,
                Path.of("/tmp/threadleak-prover-1"));
        assertEquals(List.of("/jdk/bin/java", "-Xmx512m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=/tmp/threadleak-prover-1",
                "-jar", "/opt/threadleak-agent.jar", "prove", "4242", "--format", "json", "--no-record"), cmd);
    }

    @Test
    void theChildDoesNotInheritOptionsThatWouldLoadAnAgentIntoIt() {
        assertTrue(ProofLauncher.SCRUBBED_ENV.containsAll(List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS",
                "_JAVA_OPTIONS")));
    }

    @Test
    void theChildHeapGrowsWithThisHeapAndIsRefusedBeyondHalfTheMachine() {
        long mb = 1L << 20;
        assertEquals(384, ProofLauncher.childHeapMb(20 * mb, 8192 * mb));
        assertEquals(3328, ProofLauncher.childHeapMb(1024 * mb, 8192 * mb));
        assertEquals(-1, ProofLauncher.childHeapMb(2048 * mb, 8192 * mb), "6.4 GB is more than half of 8 GB");
        assertEquals(3328, ProofLauncher.childHeapMb(1024 * mb, -1), "unknown memory: the need alone");
    }

    @Test
    void theChildsJsonLineIsReadAndItsErrorsAreSaidInOneLine() {
        String json = ProofMarksTest.json(ProofMarksTest.LATCH);
        ProofLauncher.Outcome ok = ProofLauncher.outcome(0, "WARNING: something\n" + json + "\n", 10);
        assertNotNull(ok.result());
        assertEquals(4242, ok.result().pid());
        assertEquals("agent", ok.result().source());

        ProofLauncher.Outcome refused = ProofLauncher.outcome(1,
                "threadleak prove: refused: 10 MB free in /tmp, the target's heap holds 300 MB\n", 10);
        assertNull(refused.result());
        assertTrue(refused.failure().contains("status 1") && refused.failure().contains("refused: 10 MB free"),
                refused.failure());

        assertNull(ProofLauncher.outcome(0, "{not json\n", 10).result());
    }

    @Test
    void aSuspectIsProvenOnceWhenItHasHeldLongEnoughAndOnlyStuckAndDeadlockCount() throws InterruptedException {
        FakeClock clock = new FakeClock();
        List<Thread> started = new ArrayList<>();
        ProofLauncher l = new ProofLauncher(Duration.ofSeconds(2), Path.of("/nonexistent/agent.jar"), clock,
                t -> started.add(t));
        long now = clock.nanoTime();
        ThreadSnapshot x = Fixtures.snap(31).name("w").build();
        Suspect young = new Suspect("STUCK a", RuleName.STUCK, "thread", null, "b", 1, java.util.Map.of(), null, null,
                now - 1_000_000_000L, List.of(x), List.of());
        Suspect growing = new Suspect("GROWING a", RuleName.GROWING, "thread", null, "b", 1, java.util.Map.of(), null,
                null, now - 60_000_000_000L, List.of(x), List.of());
        Suspect noExemplars = new Suspect("STUCK z", RuleName.STUCK, "thread", null, "b", 1, java.util.Map.of(), null,
                null, now - 60_000_000_000L, List.of(), List.of());
        assertNull(l.consider(List.of(young, growing, noExemplars), now),
                "not held long enough, GROWING is never proven, and without exemplars nothing could be marked");
        assertTrue(started.isEmpty());

        String line = l.consider(List.of(young, growing), now + 1_000_000_000L);
        assertNotNull(line);
        assertTrue(line.contains("STUCK at b") && line.contains("pauses this JVM"), line);
        assertEquals(1, started.size());
        assertTrue(started.get(0).isDaemon());
        assertEquals(ProofLauncher.THREAD, started.get(0).getName());
        assertNull(l.consider(List.of(young), now + 2_000_000_000L), "one at a time");

        // the jar does not exist: the child fails, the failure comes back to the sampler, the directory is gone
        ProofLauncher.Outcome o = null;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (o == null && System.nanoTime() < deadline) {
            o = l.poll();
            Thread.sleep(20);
        }
        assertNotNull(o, "the child did not end within a minute");
        assertNull(o.result());
        assertTrue(o.failure().startsWith("the prove JVM exited with status 1"), o.failure());
        assertTrue(l.lastRunDir() != null && !java.nio.file.Files.exists(l.lastRunDir()), "run directory deleted");
        clock.advance(Duration.ofMinutes(1));
        Suspect later = new Suspect("STUCK b", RuleName.STUCK, "thread", null, "b", 1, java.util.Map.of(), null, null,
                clock.nanoTime() - 60_000_000_000L, List.of(x), List.of());
        assertNull(l.consider(List.of(later), clock.nanoTime()), "runs are spaced apart");
        l.stop();
    }

    /** A stand-in for {@code java} that ignores its arguments and hangs, as a stuck child would. */
    private static String hangingJava(Path dir) throws java.io.IOException {
        Path script = dir.resolve("hanging-java");
        java.nio.file.Files.writeString(script, "#!/bin/sh\nexec sleep 300\n");
        script.toFile().setExecutable(true);
        return script.toString();
    }

    private static ProofLauncher.Outcome awaitOutcome(ProofLauncher l) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            ProofLauncher.Outcome o = l.poll();
            if (o != null) {
                return o;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the child did not end within a minute");
    }

    private static Suspect due(FakeClock clock) {
        return new Suspect("STUCK a", RuleName.STUCK, "thread", null, "b", 1, java.util.Map.of(), null, null,
                clock.nanoTime() - 60_000_000_000L, List.of(Fixtures.snap(31).name("w").build()), List.of());
    }

    @Test
    void aChildThatHangsIsKilledAtTheTimeoutAndItsDirectoryDeleted(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(Path.of("/bin/sh")), "no /bin/sh");
        FakeClock clock = new FakeClock();
        List<Thread> started = new ArrayList<>();
        ProofLauncher l = new ProofLauncher(Duration.ofSeconds(1), Path.of("agent.jar"), clock, started::add,
                hangingJava(tmp), Duration.ofMillis(300));
        assertNotNull(l.consider(List.of(due(clock)), clock.nanoTime()));
        ProofLauncher.Outcome o = awaitOutcome(l);
        assertNull(o.result());
        assertTrue(o.failure().contains("did not finish within 300ms and was killed"), o.failure());
        assertTrue(!java.nio.file.Files.exists(l.lastRunDir()), "run directory deleted");
        started.get(0).join(10_000);
        assertTrue(!started.get(0).isAlive());
    }

    @Test
    void aChildStillRunningAtShutdownIsKilled(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(Path.of("/bin/sh")), "no /bin/sh");
        FakeClock clock = new FakeClock();
        List<Thread> started = new ArrayList<>();
        ProofLauncher l = new ProofLauncher(Duration.ofSeconds(1), Path.of("agent.jar"), clock, started::add,
                hangingJava(tmp), Duration.ofMinutes(10));
        assertNotNull(l.consider(List.of(due(clock)), clock.nanoTime()));
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (l.child() == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Process child = l.child();
        assertNotNull(child, "the child did not start");
        l.stop();
        assertTrue(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the child still runs after stop()");
        ProofLauncher.Outcome o = awaitOutcome(l);
        assertNull(o.result());
        assertTrue(!java.nio.file.Files.exists(l.lastRunDir()), "run directory deleted");
        assertNull(l.consider(List.of(due(clock)), clock.nanoTime()), "nothing starts after shutdown");
    }
}
