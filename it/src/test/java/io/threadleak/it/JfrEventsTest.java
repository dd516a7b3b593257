package io.threadleak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent's JFR events, read back with {@link RecordingFile} from a recording of a demo scenario made with the
 * shipped settings file ({@code src/main/jfr/threadleak.jfc}): the suspect the JSON report names appears as
 * a {@code NEW} {@code io.threadleak.Suspect} event with its rule, site and blame, later ones as {@code GROWN}
 * with a rising count, and {@code io.threadleak.SiteCounts} events carry the site's live executors.
 */
class JfrEventsTest {

    static Stream<Jdk> jdks() {
        return Jdk.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void suspectAndSiteCountEventsOfADemoScenario(Jdk jdk) throws IOException {
        Path settings = ForkedJvm.root().resolve("src/main/jfr/threadleak.jfc");
        assertTrue(Files.isRegularFile(settings), () -> "no " + settings);
        ForkedJvm.Result r = ForkedJvm.on(jdk).named("jfr-executor-per-request")
                .jvmArgs("-XX:StartFlightRecording:filename=recording.jfr,dumponexit=true,settings=" + settings)
                .agent(ForkedJvm.FAST_OPTIONS)
                .jar(ForkedJvm.demoJar()).args("executor-per-request", "--seconds", "3")
                .run();
        assertEquals(0, r.exitCode(), () -> "exit code\n" + r);
        JsonNode report = r.json();
        JsonNode suspect = Reports.find(report, "GROWING", "io.threadleak.demo.ExecutorPerRequest.handleRequest")
                .orElseThrow(() -> new AssertionError("no GROWING suspect: " + Reports.summary(report) + "\n" + r));
        Path recording = r.dir().resolve("recording.jfr");
        assertTrue(Files.isRegularFile(recording), () -> "no recording\n" + r);
        List<RecordedEvent> events = RecordingFile.readAllEvents(recording);

        List<RecordedEvent> suspects = events.stream()
                .filter(e -> e.getEventType().getName().equals("io.threadleak.Suspect"))
                .filter(e -> suspect.path("blame").asText().equals(e.getString("blame")))
                .toList();
        assertTrue(!suspects.isEmpty(), () -> "no io.threadleak.Suspect event for " + suspect.path("blame")
                + " among " + events.size() + " events\n" + r);
        RecordedEvent first = suspects.get(0);
        assertEquals("NEW", first.getString("change"));
        assertEquals("GROWING", first.getString("rule"));
        assertEquals("executor", first.getString("kind"));
        assertEquals(suspect.path("site").asText(), first.getString("site"));
        assertTrue(first.getInt("count") > 0);
        assertEquals(0, first.getInt("previousCount"));
        for (RecordedEvent grown : suspects.subList(1, suspects.size())) {
            if (grown.getString("change").equals("GROWN")) {
                assertTrue(grown.getInt("count") > grown.getInt("previousCount"), grown::toString);
            }
        }

        List<RecordedEvent> counts = events.stream()
                .filter(e -> e.getEventType().getName().equals("io.threadleak.SiteCounts"))
                .filter(e -> suspect.path("site").asText().equals(e.getString("site")))
                .toList();
        assertTrue(counts.size() >= 3, () -> "SiteCounts events of the site: " + counts.size() + "\n" + r);
        int peak = counts.stream().mapToInt(e -> e.getInt("executors")).max().orElse(0);
        assertTrue(peak >= suspect.path("count").asInt() / 2 && peak > 0, "live executors up to " + peak
                + " while the suspect counts " + suspect.path("count"));
        assertEquals(suspect.path("blame").asText(), counts.get(0).getString("blame"));
        assertTrue(Reports.suspectsAndResolved(report).stream()
                        .allMatch(s -> s.path("blame").asText().startsWith("io.threadleak.demo.")),
                () -> "a suspect outside the demo (JFR's own threads?): " + Reports.summary(report));
    }

    /**
     * No recording, no JFR: the agent does not start the flight recorder (which registering an event class would
     * do, loading a few hundred classes), and none of its event classes is loaded.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void withoutARecordingTheRecorderIsNeverStarted(Jdk jdk) throws IOException {
        ForkedJvm.Result r = ForkedJvm.on(jdk).named("no-recording-executor-per-request")
                .jvmArgs("-Xlog:class+load=info:file=classes.txt")
                .agent(ForkedJvm.FAST_OPTIONS)
                .jar(ForkedJvm.demoJar()).args("executor-per-request", "--seconds", "2")
                .run();
        assertEquals(0, r.exitCode(), () -> "exit code\n" + r);
        JsonNode report = r.json();
        assertTrue(Reports.find(report, "GROWING", "io.threadleak.demo.ExecutorPerRequest.handleRequest").isPresent(),
                () -> Reports.summary(report) + "\n" + r);
        List<String> loaded = Files.readAllLines(r.dir().resolve("classes.txt"));
        List<String> jfr = loaded.stream()
                .filter(l -> l.contains("jdk.jfr.internal.PlatformRecorder") || l.contains("io.threadleak.core.jfr.Suspect")
                        || l.contains("io.threadleak.core.jfr.SiteCounts"))
                .toList();
        assertTrue(loaded.stream().anyMatch(l -> l.contains("io.threadleak.core.Config")),
                () -> "the class log does not show the agent's classes\n" + r);
        assertEquals(List.of(), jfr, () -> "JFR was started without a recording\n" + r);
    }

    /** A runtime without the jdk.jfr module (as a jlink image may be): the agent reports as ever, and says nothing. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void withoutTheJfrModuleNothingBreaks(Jdk jdk) {
        ForkedJvm.Result r = ForkedJvm.on(jdk).named("no-jfr-executor-per-request")
                .jvmArgs("--limit-modules", "java.base,java.instrument,java.logging,java.management,jdk.unsupported")
                .agent(ForkedJvm.FAST_OPTIONS)
                .jar(ForkedJvm.demoJar()).args("executor-per-request", "--seconds", "2")
                .run();
        assertEquals(0, r.exitCode(), () -> "exit code\n" + r);
        String out = r.stdout() + r.stderr();
        assertTrue(!out.contains("JFR") && !out.contains("sampling failed") && !out.contains("Exception"),
                () -> "a complaint\n" + r);
        JsonNode report = r.json();
        assertTrue(Reports.find(report, "GROWING", "io.threadleak.demo.ExecutorPerRequest.handleRequest").isPresent(),
                () -> Reports.summary(report) + "\n" + r);
    }
}
