package io.threadleak.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ThreadLeakExtensionTest} again, on each extra JDK (the {@code it} module's {@code threadleak.extraJdks}, by
 * default {@code /usr/lib/jvm/temurin-25-jdk-amd64}), in a forked JVM with the real agent jar. A JDK that is not
 * installed shows as skipped.
 */
class OtherJdksTest {

    static Stream<Path> jdks() {
        String extra = System.getProperty("threadleak.extraJdks", "/usr/lib/jvm/temurin-25-jdk-amd64");
        List<Path> out = new ArrayList<>();
        for (String home : extra.split(",")) {
            if (!home.isBlank()) {
                out.add(Path.of(home.strip()));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theExtensionWorksWithTheAgentOn(Path home) throws IOException, InterruptedException {
        assumeFalse(Boolean.getBoolean("threadleak.junit.noAgentRun"), "runs in the Surefire execution with the agent");
        Path java = home.resolve("bin").resolve("java");
        assumeTrue(Files.isExecutable(java), () -> "JDK not installed: " + home);
        Path agent = Path.of(System.getProperty("threadleak.agentJar", "../agent/target/threadleak-agent.jar"));
        assertTrue(Files.isRegularFile(agent), () -> "no agent jar at " + agent.toAbsolutePath());
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path out = Files.createTempFile("threadleak-junit-forked-", ".txt");
        try {
            Process p = new ProcessBuilder(java.toString(),
                    "-javaagent:" + agent.toAbsolutePath() + "=interval=10m,log=warn,scopeLinger=1h",
                    "-cp", classPath, ForkedSuite.class.getName())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(3, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), () -> "the suite failed on " + home + ":\n" + text);
            Matcher m = Pattern.compile("tests found (\\d+) succeeded (\\d+) failed 0 skipped 0 aborted 0")
                    .matcher(text);
            assertTrue(m.find() && m.group(1).equals(m.group(2)) && Integer.parseInt(m.group(1)) > 10,
                    () -> "every test of ThreadLeakExtensionTest passed on " + home + ":\n" + text);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
