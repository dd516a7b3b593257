package io.threadleak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code faultInject=hooks} makes every hook call throw: the host must not notice (same output, exit code 0),
 * and the agent counts the failures it swallowed.
 */
class FaultInjectionTest {

    static Stream<Jdk> jdks() {
        return Jdk.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void failingHooksDoNotChangeTheHost(Jdk jdk) {
        ForkedJvm.Result r = ForkedJvm.on(jdk).named("fault-inject")
                .agent(ForkedJvm.FAST_OPTIONS + ",faultInject=hooks")
                .jar(ForkedJvm.demoJar()).args("blocked-put", "--fixed", "--seconds", "2")
                .run();
        assertEquals(0, r.exitCode(), () -> "exit code\n" + r);
        assertEquals(List.of("scenario blocked-put (fixed) running for 2s", "scenario blocked-put (fixed) done"),
                r.stdoutLines(), () -> "the demo's output changed\n" + r);
        JsonNode report = r.json();
        assertTrue(report.path("final").asBoolean(), () -> "not the final report: " + Reports.summary(report) + "\n" + r);
        long failures = report.path("summary").path("hookFailures").asLong(-1);
        assertTrue(failures > 0, () -> "summary.hookFailures is " + failures + ", expected > 0: "
                + Reports.summary(report) + "\n" + r);
    }
}
