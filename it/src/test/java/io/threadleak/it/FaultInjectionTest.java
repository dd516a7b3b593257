package io.threadleak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.threadleak.it.fixture.AllHooksApp;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code faultInject=hooks} makes every hook call throw: the host must not notice (same output, exit code 0),
 * and the agent counts the failures it swallowed.
 */
class FaultInjectionTest {

    /** Every call the bridge makes into the agent; each one must have failed on purpose at least once. */
    private static final String EVERY_HOOK = "childrenOf, executorCreated, taskCancelled, taskSubmitted, "
            + "threadExiting, threadSlot, threadStarting, timerCreated, workerRunning";
    /** On JDK 21+, where virtual threads exist, their constructor's hook too. */
    private static final String EVERY_HOOK_21 = EVERY_HOOK.replace("timerCreated, ",
            "timerCreated, virtualThreadCreated, ");

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

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void everyHookKindFailingLeavesTheHostsResultsUnchanged(Jdk jdk) {
        ForkedJvm.Result without = ForkedJvm.on(jdk).named("all-hooks-no-agent").main(AllHooksApp.class).run();
        assertEquals(0, without.exitCode(), () -> "exit code without the agent\n" + without);
        ForkedJvm.Result failing = ForkedJvm.on(jdk).named("all-hooks-fault-inject")
                .agent(ForkedJvm.FAST_OPTIONS + ",faultInject=hooks,stacks=all")
                .main(AllHooksApp.class).run();
        assertEquals(0, failing.exitCode(), () -> "exit code\n" + failing);
        assertEquals(without.stdoutLines(), failing.stdoutLines(), () -> "the host's results changed\n" + failing);
        String every = jdk.feature() >= 21 ? EVERY_HOOK_21 : EVERY_HOOK;
        assertTrue(failing.stderr().contains("fault injection: hook calls failed on purpose: " + every),
                () -> "not every hook kind was reached and failed\n" + failing);
        ForkedJvm.Result working = ForkedJvm.on(jdk).named("all-hooks-agent")
                .agent(ForkedJvm.FAST_OPTIONS + ",stacks=all")
                .main(AllHooksApp.class).run();
        assertEquals(0, working.exitCode(), () -> "exit code\n" + working);
        assertEquals(without.stdoutLines(), working.stdoutLines(), () -> "the host's results changed\n" + working);
        assertEquals(0, working.json().path("summary").path("hookFailures").asLong(-1), () -> "hook failures\n" + working);
    }
}
