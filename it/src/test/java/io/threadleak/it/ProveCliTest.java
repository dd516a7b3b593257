package io.threadleak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code java -jar threadleak-agent.jar prove <pid>}: the command and its relocated heap-dump library run from the
 * agent jar's isolated part, against a demo JVM that runs with the agent (so the target's threads are in place
 * once the agent reports them STUCK), which then records the result in the agent (its report marks the suspect).
 * The analysis itself is tested in the {@code prove} module.
 */
class ProveCliTest {

    /** Where the agent blames the stuck coordinator: where it was started. */
    private static final String CREATED = "io.threadleak.demo.LatchImbalance.startBatch";
    /** Where prove blames it: the application frame it waits in. */
    private static final String WAITS = "io.threadleak.demo.LatchImbalance.coordinate";

    static Stream<Jdk> jdks() {
        return Jdk.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aLatchNobodyCountsDownIsProvenFromTheAgentJar(Jdk jdk) throws IOException {
        try (ForkedJvm.Running demo = ForkedJvm.on(jdk).named("prove-latch-imbalance")
                .agent(ForkedJvm.FAST_OPTIONS).jar(ForkedJvm.demoJar()).args("latch-imbalance", "--seconds", "120")
                .start()) {
            demo.awaitReport("the coordinator STUCK", r -> Reports.find(r, "STUCK", CREATED).isPresent());
            ForkedJvm.Result prove = ForkedJvm.agentCli(jdk, "prove-cli", "prove", Long.toString(demo.pid()),
                    "--format", "json");
            assertEquals(0, prove.exitCode(), () -> "prove failed\n" + prove);
            JsonNode result = new ObjectMapper().readTree(prove.stdout());
            JsonNode proven = result.path("proven");
            assertEquals(1, proven.size(), () -> "proven: " + result.toPrettyString());
            assertTrue(proven.get(0).path("thread").asText().startsWith("batch-coordinator-"), proven::toString);
            assertTrue(proven.get(0).path("waitsOn").asText().startsWith("java.util.concurrent.CountDownLatch$Sync@"),
                    proven::toString);
            assertTrue(proven.get(0).path("blame").asText().startsWith(WAITS + "("), proven::toString);

            // the command recorded its result in the target's agent: the agent's report marks the suspect
            assertTrue(prove.stderr().contains("recorded in the threadleak agent of " + demo.pid()), prove::toString);
            JsonNode report = demo.awaitReport("the STUCK coordinator marked by the command",
                    r -> Reports.find(r, "STUCK", CREATED).map(s -> s.path("proof").isObject()).orElse(false));
            JsonNode proof = Reports.find(report, "STUCK", CREATED).get().path("proof");
            assertEquals("PROVEN", proof.path("verdict").asText(), proof::toString);
            assertEquals("prove command", proof.path("threads").get(0).path("by").asText(), proof::toString);
        }
    }
}
