package io.threadleak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bad options never stop the host: each one yields exactly one line on stderr naming the key, the program runs as
 * usual, and the agent still works with the remaining options (and defaults for the bad ones).
 */
class BadOptionsTest {

    @Test
    void unknownKeyAndMalformedValuesAreReportedOnceEachAndIgnored() {
        String bad = "bogusKey=1,interval=5parsecs,growthFloor=lots,metricSites=dozens,prove=sometimes";
        ForkedJvm.Result r = ForkedJvm.on(Jdk.current()).named("bad-options")
                .agent(bad + ",sample=100ms,stuckAfter=500ms")
                .jvmArgs("-Dthreadleak.exemplars=many") // the same keys work as system properties
                .jar(ForkedJvm.demoJar()).args("blocked-put", "--seconds", "2")
                .run();

        assertEquals(0, r.exitCode(), () -> "exit code\n" + r);
        assertEquals(List.of("scenario blocked-put (leaky) running for 2s", "scenario blocked-put (leaky) done"),
                r.stdoutLines(), () -> "the demo did not run normally\n" + r);

        assertOneLineNaming(r, "bogusKey", "bogusKey");
        assertOneLineNaming(r, "5parsecs", "interval");
        assertOneLineNaming(r, "lots", "growthFloor");
        assertOneLineNaming(r, "dozens", "metricSites");
        assertOneLineNaming(r, "sometimes", "prove");
        assertOneLineNaming(r, "many", "exemplars");

        // the agent still runs: valid options applied, defaults for the bad ones (interval 60s: final report only)
        JsonNode report = r.json();
        assertTrue(report.path("final").asBoolean(), () -> "not the final report: " + Reports.summary(report) + "\n" + r);
        assertTrue(Reports.find(report, "STUCK", "io.threadleak.demo.BlockedPut.exportBatch").isPresent(),
                () -> "the agent did not report the stuck producers with the valid options: "
                        + Reports.summary(report) + "\n" + r);
    }

    /** Exactly one stderr line mentions {@code value}, and it names {@code key}. */
    private static void assertOneLineNaming(ForkedJvm.Result r, String value, String key) {
        List<String> lines = r.stderrLines().stream().filter(l -> l.contains(value)).toList();
        assertEquals(1, lines.size(), () -> "expected one stderr line about '" + value + "', got " + lines + "\n" + r);
        assertTrue(lines.get(0).contains(key), () -> "the line about '" + value + "' does not name " + key + ": "
                + lines.get(0) + "\n" + r);
    }
}
