package io.threadleak.prove;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.threadleak.prove.fixture.StaticLatchWaiter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The static-latch fixture on both JDKs, the text format, --keep-dump, and usage errors. */
class ProveFixtureTest {

    static List<String> fixture(String mode) {
        return List.of("-cp", Target.testClasspath(), StaticLatchWaiter.class.getName(), mode);
    }

    static Target startFixture(Path home, String mode) {
        Target t = Target.start(home, "static-latch-" + mode, fixture(mode));
        t.awaitThreads("latch-waiter in CountDownLatch.await",
                Target.stuckIn("CountDownLatch.await", List.of("latch-waiter")).and(Target.mainSleepsIn("io.threadleak.prove.")));
        return t;
    }

    @ParameterizedTest(name = "latch in a static field: not proven, path through it, on {0}")
    @ValueSource(strings = {"current", "jdk25"})
    void staticLatchIsNotProven(String jdk) throws Exception {
        Path home = jdk.equals("jdk25") ? Target.JDK25 : Target.currentJdk();
        ProveDemoTest.assumeInstalled(home);
        try (Target t = startFixture(home, "static")) {
            JsonNode report = ProveDemoTest.prove(t);
            assertEquals(List.of(), ProveDemoTest.names(report.get("proven")), report::toPrettyString);
            String path = ProveDemoTest.find(report.get("notProven"), "latch-waiter").get("path").asText();
            assertTrue(path.startsWith("static io.threadleak.prove.fixture.StaticLatchWaiter$LatchHolder.LATCH -> "
                    + "java.util.concurrent.CountDownLatch.sync -> "), path);
        }
    }

    @ParameterizedTest(name = "latch only weakly held: proven (weak references are not followed), on {0}")
    @ValueSource(strings = {"current", "jdk25"})
    void weaklyHeldLatchIsProven(String jdk) throws Exception {
        Path home = jdk.equals("jdk25") ? Target.JDK25 : Target.currentJdk();
        ProveDemoTest.assumeInstalled(home);
        try (Target t = startFixture(home, "weak")) {
            JsonNode report = ProveDemoTest.prove(t);
            assertEquals(List.of("latch-waiter"), ProveDemoTest.names(report.get("proven")), report::toPrettyString);
        }
    }

    @ParameterizedTest(name = "a thread joining a proven thread is proven too, on {0}")
    @ValueSource(strings = {"current", "jdk25"})
    void joinerOfAProvenThreadIsProven(String jdk) throws Exception {
        Path home = jdk.equals("jdk25") ? Target.JDK25 : Target.currentJdk();
        ProveDemoTest.assumeInstalled(home);
        try (Target t = Target.start(home, "static-latch-join", fixture("join"))) {
            t.awaitThreads("latch-waiter and waiter-joiner in place",
                    Target.stuckIn("CountDownLatch.await", List.of("latch-waiter"))
                            .and(Target.stuckIn("Thread.join", List.of("waiter-joiner")))
                            .and(Target.mainSleepsIn("io.threadleak.prove.")));
            JsonNode report = ProveDemoTest.prove(t);
            assertEquals(List.of("latch-waiter", "waiter-joiner"), ProveDemoTest.names(report.get("proven")),
                    report::toPrettyString);
            JsonNode joiner = ProveDemoTest.find(report.get("proven"), "waiter-joiner");
            assertEquals("latch-waiter", joiner.get("owner").asText(), report::toPrettyString);
        }
    }

    @Test
    void textFormatAndKeptDumpIsOwnerOnly() throws Exception {
        try (Target t = startFixture(Target.currentJdk(), "weak")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status = ProveCommand.run(List.of("prove", Long.toString(t.pid()), "--keep-dump"),
                    new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
            String text = out.toString(StandardCharsets.UTF_8);
            String kept = text.lines().filter(l -> l.startsWith("the dump is kept at ")).findFirst().orElse(null);
            Path dump = kept == null ? null
                    : Path.of(kept.substring("the dump is kept at ".length()).split(" \\(")[0]);
            try {
                assertEquals(0, status, text);
                assertTrue(dump != null && Files.isRegularFile(dump), text);
                assertTrue(text.contains("PROVEN \"latch-waiter\" WAITING (parking) on java.util.concurrent.CountDownLatch$Sync@"), text);
                assertTrue(text.contains("the dump paused the target "), text);
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dump)));
                assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dump.getParent())));
            } finally {
                if (dump != null) {
                    TargetDump.deleteQuietly(dump.getParent());
                }
            }
        }
    }

    @Test
    void usageErrors() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(2, ProveCommand.run(List.of("prove"), System.out, e));
        assertEquals(2, ProveCommand.run(List.of("prove", "12", "--format", "xml"), System.out, e));
        assertEquals(2, ProveCommand.run(List.of("prove", "abc"), System.out, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(ProveCommand.USAGE));
        assertEquals(1, ProveCommand.run(List.of("prove", "999999999"), System.out, e), "no such JVM");
    }
}
