package io.threadleak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.threadleak.it.fixture.AttachTargetApp;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code java -jar threadleak-agent.jar list | attach <pid> [options]} against a running JVM started without the
 * agent. The fixture only starts leaking when told to on its standard input, after the agent is attached.
 */
class AttachTest {

    private static final String BLAME = AttachTargetApp.class.getName() + ".startStuckWorkers";

    static Stream<Jdk> jdks() {
        return Jdk.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void attachToARunningJvm(Jdk jdk) {
        ForkedJvm target = ForkedJvm.on(jdk).named("attach-target").main(AttachTargetApp.class);
        if (jdk.feature() >= 21) {
            target.jvmArgs("-XX:+EnableDynamicAgentLoading"); // no warning about the dynamically loaded agent
        }
        try (ForkedJvm.Running app = target.start()) {
            String pid = Long.toString(app.pid());
            app.awaitStdoutLine("'pid " + pid + "'", ("pid " + pid)::equals);
            app.awaitStdoutLine("'ready'", "ready"::equals);

            ForkedJvm.Result list = ForkedJvm.agentCli(jdk, "agent-list", "list");
            assertEquals(0, list.exitCode(), () -> "list failed\n" + list);
            assertTrue(list.stdoutLines().stream().anyMatch(l -> l.trim().split("\\s+")[0].equals(pid)),
                    () -> "'list' does not show the target's pid " + pid + "\n" + list + "\n" + app.output());

            String options = ForkedJvm.FAST_OPTIONS + ",json=" + app.jsonFile();
            ForkedJvm.Result attach = ForkedJvm.agentCli(jdk, "agent-attach", "attach", pid, options);
            assertEquals(0, attach.exitCode(), () -> "attach failed\n" + attach + "\n" + app.output());

            app.send("leak");
            app.awaitStdoutLine("'leaking'", "leaking"::equals);
            app.awaitReport("a STUCK suspect blamed at " + BLAME,
                    report -> Reports.find(report, "STUCK", BLAME).isPresent());
            assertFalse(app.stderr().contains("already attached"),
                    () -> "'already attached' after the first attach\n" + app.output());

            ForkedJvm.Result again = ForkedJvm.agentCli(jdk, "agent-attach-again", "attach", pid, options);
            app.awaitStderr("already attached");
            assertEquals(1, app.stderr().lines().filter(l -> l.contains("already attached")).count(),
                    () -> "expected one 'already attached' line\n" + again + "\n" + app.output());

            app.send("stop");
            ForkedJvm.Result done = app.awaitExit();
            assertEquals(0, done.exitCode(), () -> "the target's exit code\n" + done);
            JsonNode report = done.json();
            assertTrue(report.path("final").asBoolean(), () -> "not the final report: " + Reports.summary(report)
                    + "\n" + done);
            assertTrue(Reports.find(report, "STUCK", BLAME).isPresent(),
                    () -> "no STUCK suspect blamed at " + BLAME + " in the final report: " + Reports.summary(report)
                            + "\n" + done);
        }
    }
}
