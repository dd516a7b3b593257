package io.threadleak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.threadleak.it.fixture.VirtualChurnApp;
import io.threadleak.it.fixture.VirtualThreadsApp;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Virtual threads (JDK 21+; uses an extra JDK when the tests run on 17): leaked virtual threads are reported at
 * the method that started them, and their exemplars are marked virtual; short ones are counted as they end, whether
 * the agent recorded them as they started or not.
 */
class VirtualThreadsTest {

    private static final String BLAME = VirtualThreadsApp.class.getName() + ".startVirtualWaiters";

    @Test
    void leakedVirtualThreadsAreBlamedAtTheirCreator() {
        Optional<Jdk> jdk = Jdk.atLeast(21);
        Assumptions.assumeTrue(jdk.isPresent(), "no JDK 21+ available (see threadleak.extraJdks): " + Jdk.all());

        ForkedJvm.Result r = ForkedJvm.on(jdk.get()).named("virtual-threads")
                .agent(ForkedJvm.FAST_OPTIONS)
                .main(VirtualThreadsApp.class).args("100")
                .run();
        assertEquals(0, r.exitCode(), () -> "exit code\n" + r);
        assertTrue(r.stdout().contains("done: 100 requests"), () -> "fixture did not finish\n" + r);
        JsonNode report = r.json();

        List<JsonNode> blamed = Reports.suspectsAndResolved(report).stream()
                .filter(s -> List.of("STUCK", "GROWING").contains(s.path("rule").asText()))
                .filter(s -> s.path("blame").asText().startsWith(BLAME + "("))
                .toList();
        assertTrue(!blamed.isEmpty(), () -> "no STUCK or GROWING suspect blamed at " + BLAME + ": "
                + Reports.summary(report) + "\n" + r);
        for (JsonNode suspect : blamed) {
            JsonNode exemplars = suspect.path("exemplars");
            assertTrue(exemplars.size() > 0, () -> "no exemplars: " + suspect);
            for (JsonNode exemplar : exemplars) {
                assertTrue(exemplar.path("virtual").asBoolean(false),
                        () -> "exemplar not marked virtual: " + exemplar + "\n" + Reports.summary(report));
            }
        }
    }

    /**
     * 3,000 short virtual threads, then 60 leaked ones and a child of one of them. With the JDK listing its virtual
     * threads ({@code jdk.trackAllThreads}, the default) the agent starts most of them without a record and records
     * the live ones as it samples: those have no starter in the report. Without it, every one is recorded as it
     * starts. The findings and the counts must be the same either way.
     */
    @ParameterizedTest(name = "jdk.trackAllThreads={0}")
    @ValueSource(booleans = {true, false})
    void shortOnesAreCountedAndLeakedOnesReportedWithOrWithoutTheJdksList(boolean trackAll) {
        Optional<Jdk> jdk = Jdk.atLeast(21);
        Assumptions.assumeTrue(jdk.isPresent(), "no JDK 21+ available (see threadleak.extraJdks): " + Jdk.all());

        ForkedJvm.Result r = ForkedJvm.on(jdk.get()).named("virtual-churn-" + trackAll)
                .jvmArgs("-Djdk.trackAllThreads=" + trackAll)
                .agent(ForkedJvm.FAST_OPTIONS)
                .main(VirtualChurnApp.class).args("3000", "60")
                .run();
        assertEquals(0, r.exitCode(), () -> "exit code\n" + r);
        assertTrue(r.stdout().contains("done: 60 requests"), () -> "fixture did not finish\n" + r);
        JsonNode report = r.json();

        long ended = report.path("summary").path("endedThreads").asLong();
        assertTrue(ended >= 3000, () -> "ended threads " + ended + " < 3000: " + Reports.summary(report));
        String churn = VirtualChurnApp.class.getName();
        List<JsonNode> suspects = Reports.suspectsAndResolved(report);
        assertTrue(suspects.stream().noneMatch(s -> s.path("blame").asText().startsWith(churn + ".startShort(")),
                () -> "short virtual threads reported: " + Reports.summary(report));
        List<JsonNode> leaked = suspects.stream()
                .filter(s -> s.path("blame").asText().startsWith(churn + ".startLeakedWaiter("))
                .toList();
        assertTrue(leaked.stream().anyMatch(s -> s.path("rule").asText().equals("GROWING")),
                () -> "no GROWING suspect blamed at startLeakedWaiter: " + Reports.summary(report) + "\n" + r);
        JsonNode growing = leaked.stream().filter(s -> s.path("rule").asText().equals("GROWING")).findFirst()
                .orElseThrow();
        assertTrue(Reports.strings(growing.path("evidence")).contains("started here since the agent loaded: 60, ended: 0"),
                () -> "GROWING evidence: " + growing.path("evidence"));
        boolean anyWithoutStarter = false;
        for (JsonNode suspect : leaked) {
            for (JsonNode exemplar : suspect.path("exemplars")) {
                assertTrue(exemplar.path("virtual").asBoolean(false), () -> "exemplar not marked virtual: " + exemplar);
                anyWithoutStarter |= exemplar.path("startedById").asLong() == -1;
            }
        }
        if (trackAll) {
            assertTrue(anyWithoutStarter, () -> "every leaked virtual thread was recorded as it started (the JDK's "
                    + "list of virtual threads was not used): " + growing.path("exemplars"));
        } else {
            assertTrue(!anyWithoutStarter, () -> "a virtual thread recorded without its starter: "
                    + growing.path("exemplars"));
        }
    }
}
