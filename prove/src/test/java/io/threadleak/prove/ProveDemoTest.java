package io.threadleak.prove;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code prove} against the demo's scenarios, each run in a forked JVM without the agent, on the running JDK and
 * on JDK 25 (skipped, not left out, when JDK 25 is not installed): the leaky variant proves the right threads, the
 * fixed twin proves nothing.
 */
class ProveDemoTest {

    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One scenario: which threads it leaves stuck, in which frame, the blame class, and whether they are proven.
     * never-completed-future is not: its futures stay in the scenario's pendingReplies map, which the running reply
     * reader (and main) still reach, so something that can run could still complete them.
     */
    record Scenario(String name, String frame, List<String> threads, boolean proven, String blameOrPath) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Scenario> SCENARIOS = List.of(
            new Scenario("latch-imbalance", "CountDownLatch.await", List.of("batch-coordinator-1"), true,
                    "io.threadleak.demo.LatchImbalance.coordinate"),
            new Scenario("exception-before-complete", "CountDownLatch.await", List.of("import-coordinator-1"), true,
                    "io.threadleak.demo.ExceptionBeforeComplete.coordinate"),
            new Scenario("blocked-put", "SynchronousQueue.put",
                    List.of("export-producer-batch-1", "export-producer-batch-2"), true,
                    "io.threadleak.demo.BlockedPut.produce"),
            new Scenario("lock-order-deadlock", "LockOrderDeadlock.transfer",
                    List.of("transfer-alice-to-bob", "transfer-bob-to-alice"), true,
                    "io.threadleak.demo.LockOrderDeadlock.transfer"),
            new Scenario("lock-order-deadlock-locks", "ReentrantLock.lock",
                    List.of("transfer-carol-to-dave", "transfer-dave-to-carol"), true,
                    "io.threadleak.demo.LockOrderDeadlockLocks.transfer"),
            new Scenario("never-completed-future", "CompletableFuture.get", List.of("request-handler-1"), false,
                    "io.threadleak.demo.NeverCompletedFuture.pendingReplies"));

    record Case(Scenario scenario, boolean fixed, String jdk, Path home) {
        @Override
        public String toString() {
            return scenario.name() + (fixed ? " fixed" : " leaky") + " on " + jdk;
        }
    }

    static Stream<Case> cases() {
        List<Case> out = new ArrayList<>();
        Path current = Target.currentJdk();
        for (String jdk : List.of("jdk" + Runtime.version().feature(), "jdk25")) {
            if (jdk.equals("jdk25") && Runtime.version().feature() == 25) {
                continue;
            }
            Path home = jdk.equals("jdk25") ? Target.JDK25 : current;
            for (Scenario s : SCENARIOS) {
                out.add(new Case(s, false, jdk, home));
                out.add(new Case(s, true, jdk, home));
            }
        }
        return out.stream();
    }

    static void assumeInstalled(Path home) {
        assumeTrue(Files.isExecutable(Target.java(home)), () -> home + " is not installed");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void prove(Case c) throws Exception {
        assumeInstalled(c.home());
        Scenario s = c.scenario();
        List<String> program = new ArrayList<>(List.of("-jar", Target.demoJar().toString(), s.name()));
        if (c.fixed()) {
            program.add("--fixed");
        }
        program.addAll(List.of("--seconds", "120"));
        try (Target target = Target.start(c.home(), c.toString(), program)) {
            if (c.fixed()) {
                target.awaitThreads("main sleeping in the scenario", Target.mainSleepsIn("io.threadleak.demo."));
            } else {
                target.awaitThreads(s.threads() + " stuck in " + s.frame(), Target.stuckIn(s.frame(), s.threads()));
            }
            JsonNode report = prove(target);
            List<String> proven = names(report.get("proven"));
            if (c.fixed()) {
                assertEquals(List.of(), proven, () -> "the fixed twin proves nothing\n" + report.toPrettyString());
                return;
            }
            if (s.proven()) {
                assertEquals(s.threads(), proven, () -> report.toPrettyString());
                for (JsonNode p : report.get("proven")) {
                    assertTrue(p.get("blame").asText().startsWith(s.blameOrPath()), () -> report.toPrettyString());
                    assertTrue(p.get("stack").size() > 0, () -> report.toPrettyString());
                    assertTrue(p.get("waitsOn").asText().contains("@"), () -> report.toPrettyString());
                    if (s.name().startsWith("lock-order")) {
                        assertTrue(p.get("reason").asText().contains("owner"), () -> report.toPrettyString());
                    }
                }
            } else {
                assertTrue(proven.isEmpty(), () -> report.toPrettyString());
                JsonNode waiter = find(report.get("notProven"), s.threads().get(0));
                assertTrue(waiter.get("path").asText().contains(s.blameOrPath()), () -> report.toPrettyString());
            }
            assertTrue(report.get("pauseMillis").asLong() >= 0);
            assertEquals(c.jdk().substring(3), report.get("jdk").asText().split("[^0-9]", 2)[0]);
        }
    }

    /** Runs prove --format json against the target in this JVM; checks that the dump was deleted. */
    static JsonNode prove(Target target) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ProveCommand.run(List.of("prove", Long.toString(target.pid()), "--format", "json"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String stdout = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, () -> "prove failed: " + err.toString(StandardCharsets.UTF_8) + stdout + target.output());
        try (Stream<Path> dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertTrue(dirs.filter(d -> d.getFileName().toString().startsWith("threadleak-prove-"))
                            .noneMatch(d -> Files.exists(d.resolve("target-" + target.pid() + ".hprof"))),
                    "the dump is deleted");
        }
        return JSON.readTree(stdout);
    }

    static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get("thread").asText()));
        return out;
    }

    static JsonNode find(JsonNode array, String thread) {
        for (JsonNode n : array) {
            if (n.get("thread").asText().equals(thread)) {
                return n;
            }
        }
        throw new AssertionError(thread + " not in " + array.toPrettyString());
    }
}
