package io.threadleak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.threadleak.it.fixture.ProvidedSuppressionApp;
import io.threadleak.it.fixturelib.AcmeSuppressions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code suppress=<file>} with the real agent: a rule silences the demo's forgotten thread, which stays in the JSON
 * report's {@code suppressed} array with its reason; a bad rule is one line on standard error and the agent runs on
 * with the good ones; a rule that never matched is listed at shutdown.
 */
class SuppressionTest {

    private static final String BLAME = "io.threadleak.demo.ForgottenThread.startMetricsFlusher";

    static Stream<Jdk> jdks() {
        return Jdk.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aSuppressedFindingStaysVisibleWithItsReason(Jdk jdk) {
        Path dir = ForkedJvm.workDir("suppress-file");
        Path file = dir.resolve("suppress.txt");
        try {
            Files.writeString(file, String.join("\n",
                    "# the flusher stops by itself after its last flush",
                    "rule=EXIT_BLOCKED thread=metrics-* created=" + BLAME + " reason=\"stops after the last flush\"",
                    "rule=STUCK thread=nothing-like-this-* reason=\"matches nothing\"",
                    "rule=BOGUS thread=x reason=y"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ForkedJvm.Result r;
        JsonNode running;
        try (ForkedJvm.Running jvm = ForkedJvm.on(jdk).named("suppress-forgotten-thread")
                .agent(ForkedJvm.FAST_OPTIONS + ",suppress=" + file)
                .jar(ForkedJvm.demoJar()).args("forgotten-thread", "--seconds", "3").start()) {
            running = jvm.awaitReport("a suppressed EXIT_BLOCKED finding",
                    report -> report.path("suppressed").size() > 0);
            r = jvm.awaitExit();
        }
        assertEquals(0, r.exitCode(), () -> "exit code\n" + r);
        JsonNode suppressed = running.path("suppressed").get(0);
        assertEquals("EXIT_BLOCKED", suppressed.path("rule").asText(), () -> "suppressed: " + suppressed);
        assertTrue(suppressed.path("blame").asText().startsWith(BLAME + "("), () -> "suppressed: " + suppressed);
        assertEquals("stops after the last flush", suppressed.path("suppressedBy").path("reason").asText());
        assertEquals(file + ":2", suppressed.path("suppressedBy").path("source").asText());
        assertEquals(0, running.path("suspects").size(), () -> "not silenced: " + Reports.summary(running));

        List<String> bad = r.stderrLines().stream().filter(l -> l.contains("suppression " + file)).toList();
        assertEquals(1, bad.size(), () -> "one line per bad rule\n" + r);
        assertTrue(bad.get(0).contains(":4: unknown rule 'BOGUS'"), bad.get(0));

        JsonNode report = r.json();
        assertTrue(report.path("final").asBoolean());
        assertTrue(Reports.suspectsAndResolved(report).stream().noneMatch(s -> s.path("rule").asText()
                .equals("EXIT_BLOCKED")), () -> "the silenced finding was reported: " + Reports.summary(report));
        List<String> unused = Reports.strings(report.path("unusedSuppressions"));
        assertEquals(1, unused.size(), () -> "unused: " + unused);
        assertTrue(unused.get(0).startsWith(file + ":3: "), unused.get(0));
        assertTrue(r.stderr().contains("suppression rule never matched: " + file + ":3:")
                        || r.stdout().contains("suppression rule never matched: " + file + ":3:"),
                () -> "the final summary does not list the unused rule\n" + r);
    }

    /**
     * A library's {@code SuppressionProvider}, listed in its {@code META-INF/services} and implementing its own copy
     * of the interface, silences its thread in the real agent, whose classes live in a loader of their own; the
     * application's stuck thread is still reported.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aLibrarysProviderSilencesItsOwnThreadOnly(Jdk jdk) throws IOException {
        Path lib = ForkedJvm.workDir("suppress-provider-lib-" + jdk.label());
        Path services = lib.resolve("META-INF/services/io.threadleak.spi.SuppressionProvider");
        Files.createDirectories(services.getParent());
        Files.writeString(services, "# acme's threads\n" + AcmeSuppressions.class.getName() + "\n");
        JsonNode report;
        try (ForkedJvm.Running jvm = ForkedJvm.on(jdk).named("suppress-provider")
                .agent(ForkedJvm.FAST_OPTIONS + ",app=io.threadleak.it.fixture")
                .main(ForkedJvm.classpathWith(lib), ProvidedSuppressionApp.class.getName()).start()) {
            report = jvm.awaitReport("the library's thread suppressed and the application's stuck",
                    r -> r.path("suppressed").size() > 0 && r.path("suspects").size() > 0);
        }
        JsonNode suppressed = report.path("suppressed").get(0);
        assertEquals("STUCK", suppressed.path("rule").asText(), () -> "suppressed: " + suppressed);
        assertEquals("acme's flusher waits for its next batch", suppressed.path("suppressedBy").path("reason").asText());
        assertEquals("provider " + AcmeSuppressions.class.getName() + ":1",
                suppressed.path("suppressedBy").path("source").asText());
        assertEquals(1, report.path("suspects").size(), () -> Reports.summary(report));
        JsonNode stuck = report.path("suspects").get(0);
        assertEquals("STUCK", stuck.path("rule").asText());
        assertEquals("stuck-worker-1", stuck.path("exemplars").get(0).path("name").asText(),
                () -> "the application's thread is still reported: " + stuck);
    }
}
