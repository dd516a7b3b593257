package io.threadleak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.it.fixture.HostLoggingApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The host keeps its own logging: an application using SLF4J + logback with its own {@code logback.xml} prints
 * its lines in its own format, the agent prints its lines in the agent's format, neither leaks into the other,
 * and SLF4J/logback never complain (e.g. about several providers on the class path).
 */
class HostLoggingTest {

    private static final String HOST_CONFIG = """
            <configuration>
              <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                <target>System.out</target>
                <encoder><pattern>HOSTLOG %logger{0} %msg%n</pattern></encoder>
              </appender>
              <root level="DEBUG"><appender-ref ref="OUT"/></root>
            </configuration>
            """;

    /** {@code 04:01:10.656 INFO  [threadleak] ...}: the agent's own pattern. */
    private static final Pattern AGENT_LINE =
            Pattern.compile("^\\d{2}:\\d{2}:\\d{2}\\.\\d{3} (TRACE|DEBUG|INFO|WARN|ERROR) +\\[threadleak] .*");

    private static final List<String> COMPLAINTS = List.of(
            "SLF4J", "Class path contains", "multiple", "|-WARN", "|-ERROR", "ch.qos.logback", "logback.xml",
            "No SLF4J providers", "NOP");

    static Stream<Jdk> jdks() {
        return Jdk.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void hostAndAgentEachLogInTheirOwnFormat(Jdk jdk, @TempDir Path hostConfig) throws IOException {
        // the host's logback.xml lives in its own directory, in front of the class path of this fixture only
        Files.writeString(hostConfig.resolve("logback.xml"), HOST_CONFIG);
        ForkedJvm.Result r = ForkedJvm.on(jdk).named("host-logging")
                .agent(ForkedJvm.FAST_OPTIONS)
                .main(ForkedJvm.classpathWith(hostConfig), HostLoggingApp.class.getName()).args("1500")
                .run();
        assertEquals(0, r.exitCode(), () -> "exit code\n" + r);

        // the host's lines, in the host's format, on the host's appender (stdout), and nothing else there
        List<String> out = r.stdoutLines();
        assertTrue(out.contains("HOSTLOG HostLoggingApp host application started"),
                () -> "the host's first line is missing or not in the host's format\n" + r);
        assertTrue(out.contains("HOSTLOG HostLoggingApp host application done"),
                () -> "the host's last line is missing or not in the host's format\n" + r);
        assertEquals(5, out.stream().filter(l -> l.startsWith("HOSTLOG HostLoggingApp ")).count(),
                () -> "expected the host's 5 lines (started, 3 workers, done)\n" + r);
        for (String line : out) {
            assertTrue(line.startsWith("HOSTLOG HostLoggingApp "), () -> "not a host line on stdout: '" + line + "'\n" + r);
            assertFalse(line.contains("threadleak"), () -> "agent output in the host's format: '" + line + "'\n" + r);
        }

        // the agent's lines, in the agent's format, on stderr, never in the host's format
        List<String> err = r.stderrLines();
        assertTrue(err.stream().anyMatch(l -> AGENT_LINE.matcher(l).matches() && l.contains("threadleak started")),
                () -> "no 'threadleak started' line in the agent's format on stderr\n" + r);
        assertTrue(err.stream().filter(l -> AGENT_LINE.matcher(l).matches()).count() >= 2,
                () -> "the agent did not report in its own format\n" + r);
        for (String line : err) {
            assertFalse(line.contains("HOSTLOG"), () -> "a line in the host's format on stderr: '" + line + "'\n" + r);
            if (line.contains("[threadleak]")) {
                assertTrue(AGENT_LINE.matcher(line).matches(), () -> "agent line not in the agent's format: '"
                        + line + "'\n" + r);
            }
        }

        // no SLF4J or logback warnings (several providers, bad configuration, ...)
        for (String complaint : COMPLAINTS) {
            assertFalse(r.stdout().contains(complaint) || r.stderr().contains(complaint),
                    () -> "logging complaint '" + complaint + "' in the output\n" + r);
        }
    }
}
