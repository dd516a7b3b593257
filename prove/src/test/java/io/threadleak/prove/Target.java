package io.threadleak.prove;

import static org.junit.jupiter.api.Assertions.fail;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A forked target JVM for the prove tests (small heap, output in a work directory), and a way to wait until its
 * threads are in place by polling its ThreadMXBean over JMX.
 */
final class Target implements AutoCloseable {

    /** The extra JDK the tests also run on, when installed ({@code -Dthreadleak.jdk25=<java home>} to move it). */
    static final Path JDK25 = Path.of(System.getProperty("threadleak.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64"));

    final Process process;
    final Path dir;
    final String description;

    private Target(Process process, Path dir, String description) {
        this.process = process;
        this.dir = dir;
        this.description = description;
    }

    static Path root() {
        return Path.of(System.getProperty("threadleak.root", "..")).toAbsolutePath().normalize();
    }

    static Path demoJar() {
        Path jar = root().resolve("demo-leaks/target/threadleak-demo-leaks.jar");
        if (!Files.isRegularFile(jar)) {
            fail(jar + " does not exist; build it first: mvn -B -q -pl prove -am package -DskipTests");
        }
        return jar;
    }

    static String testClasspath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
    }

    /** The java launcher of a JDK home, e.g. the running one. */
    static Path java(Path home) {
        return home.resolve("bin").resolve("java");
    }

    static Path currentJdk() {
        return Path.of(System.getProperty("java.home"));
    }

    static int feature(Path home) {
        if (home.equals(currentJdk())) {
            return Runtime.version().feature();
        }
        Properties release = new Properties();
        try (Reader r = Files.newBufferedReader(home.resolve("release"))) {
            release.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String v = release.getProperty("JAVA_VERSION", "").replace("\"", "");
        return Integer.parseInt(v.split("[^0-9]", 2)[0]);
    }

    static Target start(Path jdkHome, String name, List<String> programAndArgs) {
        try {
            Path base = Path.of(System.getProperty("threadleak.work",
                    System.getProperty("java.io.tmpdir") + "/threadleak-prove-tests"));
            Files.createDirectories(base);
            Path dir = Files.createTempDirectory(base.toAbsolutePath(), name.replaceAll("[^A-Za-z0-9._-]", "_") + "-");
            List<String> command = new ArrayList<>(List.of(java(jdkHome).toString(), "-Xmx64m"));
            command.addAll(programAndArgs);
            Files.writeString(dir.resolve("command.txt"), String.join(" ", command) + "\n");
            Process p = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(dir.resolve("stdout.txt").toFile())
                    .redirectError(dir.resolve("stderr.txt").toFile()).start();
            return new Target(p, dir, name + " (" + dir + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** Polls the target's threads over JMX until {@code ready} holds for them (30 s at most). */
    void awaitThreads(String what, Predicate<List<ThreadInfo>> ready) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<ThreadInfo> last = List.of();
        Exception lastError = null;
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                VirtualMachine vm = VirtualMachine.attach(Long.toString(pid()));
                try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()))) {
                    ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(jmx.getMBeanServerConnection(),
                            ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
                    while (System.nanoTime() < deadline && process.isAlive()) {
                        last = List.of(threads.dumpAllThreads(false, false));
                        if (ready.test(last)) {
                            return;
                        }
                        Thread.sleep(50);
                    }
                } finally {
                    vm.detach();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            } catch (Exception e) {
                lastError = e; // the target may not accept attaches yet
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    fail("interrupted");
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        last.forEach(t -> sb.append("  ").append(t.getThreadName()).append(' ').append(t.getThreadState()).append('\n'));
        fail(description + ": no " + what + " within 30 s (alive: " + process.isAlive() + ", last error: " + lastError
                + ")\nthreads:\n" + sb + output());
    }

    /** Threads of these names wait or are blocked (untimed) with {@code frame} ("Class.method") on their stacks. */
    static Predicate<List<ThreadInfo>> stuckIn(String frame, List<String> names) {
        return threads -> names.stream().allMatch(n -> threads.stream().anyMatch(t -> t.getThreadName().equals(n)
                && (t.getThreadState() == Thread.State.WAITING || t.getThreadState() == Thread.State.BLOCKED)
                && List.of(t.getStackTrace()).stream().anyMatch(f -> (f.getClassName() + "." + f.getMethodName())
                        .endsWith(frame))));
    }

    /** "main" sleeps (timed) inside the demo's or fixture's code: the scenario has set itself up. */
    static Predicate<List<ThreadInfo>> mainSleepsIn(String packagePrefix) {
        return threads -> threads.stream().anyMatch(t -> t.getThreadName().equals("main")
                && t.getThreadState() == Thread.State.TIMED_WAITING
                && List.of(t.getStackTrace()).stream().anyMatch(f -> f.getClassName().startsWith(packagePrefix)));
    }

    String output() {
        try {
            return "\n---- stdout:\n" + Files.readString(dir.resolve("stdout.txt"))
                    + "\n---- stderr:\n" + Files.readString(dir.resolve("stderr.txt"));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
