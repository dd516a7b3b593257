package io.threadleak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.it.fixture.AllHooksApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.SimpleRemapper;

/**
 * A JDK whose class does not look as the hooks expect, in a real JVM: {@code java.util.Timer} with its
 * {@code thread} field renamed (patched into {@code java.base} with {@code --patch-module}), as a future JDK might.
 * The agent leaves the class untouched and names it in its start-up line, and the host's results are unchanged
 * ({@code new Timer()} must not throw {@code NoSuchFieldError}); with {@code strict=true} the JVM stops at once
 * with one line.
 */
class JdkShapeChangeTest {

    static Stream<Jdk> jdks() {
        return Jdk.all().stream();
    }

    /** The JDK's own {@code java/util/Timer.class} with {@code thread} renamed, in a directory for --patch-module. */
    private static Path patchedJavaBase(Jdk jdk) {
        Path dir = ForkedJvm.workDir("patched-java-base-" + jdk.label());
        try (FileSystem jrt = FileSystems.newFileSystem(URI.create("jrt:/"), Map.of("java.home", jdk.home().toString()))) {
            byte[] timer = Files.readAllBytes(jrt.getPath("/modules/java.base/java/util/Timer.class"));
            ClassWriter writer = new ClassWriter(0);
            new ClassReader(timer).accept(new ClassRemapper(writer,
                    new SimpleRemapper(Map.of("java/util/Timer.thread", "timerThread"))), 0);
            Path file = dir.resolve("java/util/Timer.class");
            Files.createDirectories(file.getParent());
            Files.write(file, writer.toByteArray());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aClassOfAnotherShapeIsLeftUntouchedAndNamedAndStrictStopsTheJvm(Jdk jdk) {
        String[] patch = {"--patch-module", "java.base=" + patchedJavaBase(jdk), "-Xshare:off"};
        ForkedJvm.Result without = ForkedJvm.on(jdk).named("timer-renamed-no-agent").jvmArgs(patch)
                .main(AllHooksApp.class).run();
        assertEquals(0, without.exitCode(), () -> "the patched JDK does not run the fixture\n" + without);

        ForkedJvm.Result r = ForkedJvm.on(jdk).named("timer-renamed").jvmArgs(patch)
                .agent(ForkedJvm.FAST_LENIENT_OPTIONS).main(AllHooksApp.class).run();
        assertEquals(0, r.exitCode(), () -> "exit code\n" + r);
        assertEquals(without.stdoutLines(), r.stdoutLines(), () -> "the host's results changed\n" + r);
        assertTrue(r.stderr().contains("; skipped: java.util.Timer (no field thread:Ljava/util/TimerThread;)"),
                () -> "the start-up line does not name the skipped class\n" + r);
        assertTrue(r.stderr().contains("hooks: ") && r.stderr().contains("FutureTask.awaitDone,cancel,run,runAndReset"),
                () -> "the other hooks are still placed\n" + r);
        assertTrue(!r.stderr().contains("NoSuchFieldError"), () -> r.toString());

        ForkedJvm.Result strict = ForkedJvm.on(jdk).named("timer-renamed-strict").jvmArgs(patch)
                .agent(ForkedJvm.FAST_OPTIONS).main(AllHooksApp.class).run();
        assertEquals(1, strict.exitCode(), () -> "strict=true must stop the JVM\n" + strict);
        assertEquals(List.of(), strict.stdoutLines(), () -> "the application must not have run\n" + strict);
        List<String> lines = strict.stderrLines().stream().filter(l -> l.startsWith("threadleak: ")).toList();
        assertEquals(1, lines.size(), () -> "one line\n" + strict);
        assertTrue(lines.get(0).startsWith("threadleak: strict=true and the agent could not hook everything, so it did"
                + " not start: java.util.Timer (no field thread:Ljava/util/TimerThread;)"), lines::toString);
    }
}
