package io.threadleak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.threadleak.it.fixture.StaticLatchApp;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The agent's {@code prove=<duration>} option: once a STUCK or DEADLOCK suspect has held that long, the agent runs
 * {@code prove} on its own JVM in a separate JVM and its JSON report marks the suspect proven or not. The latch and
 * the static latch run on the JDK running the tests (17), the deadlock on JDK 25, so that the agent's launch of the
 * child is exercised on both; the command itself is tested on both JDKs by {@link ProveCliTest}.
 */
class ProveOptionTest {

    private static final String OPTIONS = ForkedJvm.FAST_OPTIONS + ",prove=2s";
    private static final String LATCH_CREATED = "io.threadleak.demo.LatchImbalance.startBatch";

    /** The first suspect of {@code rule} that carries a proof. */
    private static Optional<JsonNode> proven(JsonNode report, String rule) {
        for (JsonNode s : report.path("suspects")) {
            if (rule.equals(s.path("rule").asText()) && s.path("proof").isObject()) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    @Test
    void aLatchNobodyCountsDownIsMarkedProvenInTheAgentsReport() {
        try (ForkedJvm.Running demo = ForkedJvm.on(Jdk.current()).named("prove-option-latch").agent(OPTIONS)
                .jar(ForkedJvm.demoJar()).args("latch-imbalance", "--seconds", "60").start()) {
            JsonNode report = demo.awaitReport("the STUCK coordinator with a proof", r -> proven(r, "STUCK").isPresent());
            JsonNode suspect = proven(report, "STUCK").get();
            assertTrue(suspect.path("blame").asText().startsWith(LATCH_CREATED + "("), suspect::toString);
            JsonNode proof = suspect.path("proof");
            assertEquals("PROVEN", proof.path("verdict").asText(), proof::toString);
            JsonNode thread = proof.path("threads").get(0);
            assertTrue(thread.path("name").asText().startsWith("batch-coordinator-"), proof::toString);
            assertTrue(thread.path("proven").asBoolean(), proof::toString);
            assertEquals("agent", thread.path("by").asText(), proof::toString);
            assertEquals(suspect.path("exemplars").get(0).path("id").asLong(), thread.path("id").asLong(), proof::toString);
            // the log says when it started and how long the dump paused the JVM
            demo.awaitStderr("proving it in a separate JVM");
            demo.awaitStderr("paused this JVM");
        }
    }

    @Test
    void aLockOrderDeadlockIsMarkedProvenThroughOwnership() {
        Optional<Jdk> jdk25 = Jdk.atLeast(25);
        Assumptions.assumeTrue(jdk25.isPresent(), "no JDK 25 here");
        try (ForkedJvm.Running demo = ForkedJvm.on(jdk25.get()).named("prove-option-deadlock").agent(OPTIONS)
                .jar(ForkedJvm.demoJar()).args("lock-order-deadlock", "--seconds", "60").start()) {
            JsonNode report = demo.awaitReport("the DEADLOCK with a proof", r -> proven(r, "DEADLOCK").isPresent());
            JsonNode proof = proven(report, "DEADLOCK").get().path("proof");
            assertEquals("PROVEN", proof.path("verdict").asText(), proof::toString);
            assertEquals(2, proof.path("threads").size(), proof::toString);
            for (JsonNode t : proof.path("threads")) {
                assertTrue(t.path("proven").asBoolean(), proof::toString);
            }
        }
    }

    @Test
    void aLatchAStaticFieldHoldsIsNotProvenAndThePathNamesTheField() {
        try (ForkedJvm.Running app = ForkedJvm.on(Jdk.current()).named("prove-option-static").agent(OPTIONS)
                .main(StaticLatchApp.class).args("60").start()) {
            JsonNode report = app.awaitReport("the STUCK waiter with a proof", r -> proven(r, "STUCK").isPresent());
            JsonNode proof = proven(report, "STUCK").get().path("proof");
            assertEquals("NOT_PROVEN", proof.path("verdict").asText(), proof::toString);
            JsonNode thread = proof.path("threads").get(0);
            assertEquals("static-latch-waiter", thread.path("name").asText(), proof::toString);
            assertTrue(thread.path("path").asText().startsWith(
                    "static " + StaticLatchApp.class.getName() + "$Holder.LATCH -> "), proof::toString);
        }
    }

    @Test
    void theFixedTwinProvesNothingAndStartsNoProof() {
        ForkedJvm.Result r = ForkedJvm.on(Jdk.current()).named("prove-option-fixed").agent(OPTIONS.replace("prove=2s",
                "prove=500ms")).jar(ForkedJvm.demoJar()).args("latch-imbalance", "--fixed", "--seconds", "4").run();
        assertEquals(0, r.exitCode(), r::toString);
        JsonNode report = r.json();
        assertTrue(report.path("final").asBoolean(), r::toString);
        for (JsonNode s : Reports.suspectsAndResolved(report)) {
            assertTrue(s.path("proof").isNull(), () -> "a proof on the fixed twin: " + s + "\n" + r);
        }
        List<String> proofLines = r.stderrLines().stream().filter(l -> l.contains("prove:")).toList();
        assertEquals(List.of(), proofLines, r::toString);
    }
}
