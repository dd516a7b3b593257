package io.threadleak.it;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/**
 * Launches a program in a forked JVM, optionally with the real agent jar, and collects what it left behind:
 * exit code, standard output and error (captured to files), and the agent's JSON report.
 *
 * <pre>
 * ForkedJvm.Result r = ForkedJvm.on(jdk).named("blocked-put")
 *         .agent("sample=100ms,stuckAfter=500ms")      // json=&lt;work dir&gt;/report.json is appended
 *         .jar(ForkedJvm.demoJar()).args("blocked-put", "--seconds", "3")
 *         .run();
 * </pre>
 *
 * Every launch gets its own directory under {@code threadleak.work} (set by the surefire configuration to
 * {@code it/target/it-work}), so the output of a failed run can still be read afterwards.
 */
public final class ForkedJvm {

    /** How long a forked JVM may run before it is destroyed and the test fails. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** Short thresholds so that each rule fires within the first second of a run; without every hook placed the
     *  forked JVM stops at once ({@code strict=true}: this project's tests never pass on a partly hooked JDK). */
    public static final String FAST_OPTIONS = "sample=100ms,interval=500ms,stuckAfter=500ms,exitAfter=500ms,"
            + "cancelAfter=500ms,scopeLinger=500ms,growthSamples=3,growthFloor=4,strict=true";
    /** {@link #FAST_OPTIONS} without {@code strict=true}. */
    public static final String FAST_LENIENT_OPTIONS = FAST_OPTIONS.replace(",strict=true", "");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Jdk jdk;
    private String name = "jvm";
    private String agentOptions;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> target = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private Duration timeout = DEFAULT_TIMEOUT;

    private ForkedJvm(Jdk jdk) {
        this.jdk = jdk;
    }

    /** A JVM of that JDK; a test on a JDK that is not installed is skipped here, never silently dropped. */
    public static ForkedJvm on(Jdk jdk) {
        Assumptions.assumeTrue(jdk.available(), () -> "JDK not installed: " + jdk.home()
                + " (set -Dthreadleak.extraJdks=<java homes>, blank for none)");
        return new ForkedJvm(jdk);
    }

    // ---- where things are ------------------------------------------------------------------------------------

    /** The project root ({@code threadleak.root}, set by surefire; falls back to {@code ..}). */
    public static Path root() {
        return Path.of(System.getProperty("threadleak.root", "..")).toAbsolutePath().normalize();
    }

    /** {@code agent/target/threadleak-agent.jar}, which must exist. */
    public static Path agentJar() {
        return existing(root().resolve("agent/target/threadleak-agent.jar"));
    }

    /** {@code demo-leaks/target/threadleak-demo-leaks.jar}, which must exist. */
    public static Path demoJar() {
        return existing(root().resolve("demo-leaks/target/threadleak-demo-leaks.jar"));
    }

    /** The class path the tests run with (fixture programs are run with it). */
    public static String testClasspath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
    }

    private static Path existing(Path file) {
        if (!Files.isRegularFile(file)) {
            fail(file + " does not exist; build it first: mvn -B -q -pl agent,demo-leaks -am package -DskipTests");
        }
        return file;
    }

    /** A fresh directory for one launch, under {@code threadleak.work} or the temporary directory. */
    public static Path workDir(String name) {
        try {
            String base = System.getProperty("threadleak.work");
            Path parent = base == null || base.isBlank()
                    ? Path.of(System.getProperty("java.io.tmpdir"), "threadleak-it")
                    : Path.of(base);
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent.toAbsolutePath(), name.replaceAll("[^A-Za-z0-9._-]", "_") + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- building the command line -----------------------------------------------------------------------------

    /** Names the work directory (and the launch in messages). */
    public ForkedJvm named(String name) {
        this.name = name;
        return this;
    }

    /** Runs with {@code -javaagent:<agent jar>=<options>,json=<work dir>/report.json}. */
    public ForkedJvm agent(String options) {
        this.agentOptions = options;
        return this;
    }

    public ForkedJvm jvmArgs(String... more) {
        jvmArgs.addAll(List.of(more));
        return this;
    }

    /** {@code -jar <jar>}. */
    public ForkedJvm jar(Path jar) {
        target.clear();
        target.add("-jar");
        target.add(jar.toString());
        return this;
    }

    /** {@code -cp <classpath> <mainClass>}. */
    public ForkedJvm main(String classpath, String mainClass) {
        target.clear();
        target.add("-cp");
        target.add(classpath);
        target.add(mainClass);
        return this;
    }

    /** {@code -cp <test class path> <mainClass>}. */
    public ForkedJvm main(Class<?> mainClass) {
        return main(testClasspath(), mainClass.getName());
    }

    public ForkedJvm args(String... more) {
        args.addAll(List.of(more));
        return this;
    }

    public ForkedJvm timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    // ---- running -------------------------------------------------------------------------------------------------

    /** Starts the JVM and waits for it to exit; on timeout destroys it and fails with its output. */
    public Result run() {
        try (Running running = start()) {
            return running.awaitExit();
        }
    }

    /** Starts the JVM; its standard input stays open for {@link Running#send}. */
    public Running start() {
        if (target.isEmpty()) {
            throw new IllegalStateException("call jar(..) or main(..) first");
        }
        Path dir = workDir(name + "-" + jdk.label());
        Path json = dir.resolve("report.json");
        List<String> command = new ArrayList<>();
        command.add(jdk.java().toString());
        command.addAll(jvmArgs);
        if (agentOptions != null) {
            String options = (agentOptions.isBlank() ? "" : agentOptions + ",") + "json=" + json;
            command.add("-javaagent:" + agentJar() + "=" + options);
        }
        command.addAll(target);
        command.addAll(args);
        return Running.start(name + " on " + jdk, command, dir, json, timeout);
    }

    /** Runs {@code java -jar threadleak-agent.jar <args>} (the attach CLI) and waits for it. */
    public static Result agentCli(Jdk jdk, String name, String... cliArgs) {
        return on(jdk).named(name).jar(agentJar()).args(cliArgs).run();
    }

    /** A started JVM. Closing it destroys the process if it still runs. */
    public static final class Running implements AutoCloseable {
        private final String description;
        private final List<String> command;
        private final Process process;
        private final Path dir;
        private final Path stdout;
        private final Path stderr;
        private final Path json;
        private final Duration timeout;
        private final long deadline;
        private final BufferedWriter stdin;

        private Running(String description, List<String> command, Process process, Path dir, Path json,
                        Duration timeout) {
            this.description = description;
            this.command = command;
            this.process = process;
            this.dir = dir;
            this.stdout = dir.resolve("stdout.txt");
            this.stderr = dir.resolve("stderr.txt");
            this.json = json;
            this.timeout = timeout;
            this.deadline = System.nanoTime() + timeout.toNanos();
            this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        }

        static Running start(String description, List<String> command, Path dir, Path json, Duration timeout) {
            try {
                Files.writeString(dir.resolve("command.txt"), String.join(" ", command) + System.lineSeparator());
                ProcessBuilder pb = new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectOutput(dir.resolve("stdout.txt").toFile())
                        .redirectError(dir.resolve("stderr.txt").toFile());
                return new Running(description, command, pb.start(), dir, json, timeout);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + command, e);
            }
        }

        public long pid() {
            return process.pid();
        }

        public Path dir() {
            return dir;
        }

        /** Where the agent was told to write its JSON report (it may not exist yet). */
        public Path jsonFile() {
            return json;
        }

        /** Writes one line to the JVM's standard input. */
        public void send(String line) {
            try {
                stdin.write(line);
                stdin.newLine();
                stdin.flush();
            } catch (IOException e) {
                fail("cannot write '" + line + "' to " + description + ": " + e + "\n" + output());
            }
        }

        public String stdout() {
            return read(stdout);
        }

        public String stderr() {
            return read(stderr);
        }

        /**
         * Waits until {@code condition} holds (polling), failing with {@code what} and the output if the JVM exits
         * first or the launch's timeout passes.
         */
        public void await(String what, BooleanSupplier condition) {
            while (!condition.getAsBoolean()) {
                if (!process.isAlive()) {
                    if (condition.getAsBoolean()) {
                        return;
                    }
                    fail(description + " exited (" + process.exitValue() + ") before " + what + "\n" + output());
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    fail(description + ": no " + what + " within " + timeout.toSeconds() + " s; destroyed\n" + output());
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fail("interrupted while waiting for " + what);
                }
            }
        }

        /** Waits until a line of standard output matches. */
        public String awaitStdoutLine(String what, Predicate<String> line) {
            await(what + " on stdout", () -> stdout().lines().anyMatch(line));
            return stdout().lines().filter(line).findFirst().orElseThrow();
        }

        /** Waits until standard error contains {@code text}. */
        public void awaitStderr(String text) {
            await("'" + text + "' on stderr", () -> stderr().contains(text));
        }

        /** Waits until the JSON report exists, parses and satisfies {@code condition}; returns it. */
        public JsonNode awaitReport(String what, Predicate<JsonNode> condition) {
            JsonNode[] last = new JsonNode[1];
            await(what + " in " + json, () -> {
                Optional<JsonNode> report = tryReadJson(json);
                report.ifPresent(r -> last[0] = r);
                return report.isPresent() && condition.test(report.get());
            });
            return last[0];
        }

        /** Closes standard input, waits for the exit (destroying the JVM on timeout), and returns the result. */
        public Result awaitExit() {
            try {
                try {
                    stdin.close();
                } catch (IOException ignored) {
                    // the JVM may have exited already
                }
                long left = Math.max(1, deadline - System.nanoTime());
                if (!process.waitFor(left, TimeUnit.NANOSECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                    fail(description + " did not exit within " + timeout.toSeconds() + " s; destroyed\n" + output());
                }
                return new Result(description, command, process.exitValue(), stdout(), stderr(), json, dir);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new AssertionError("interrupted while waiting for " + description, e);
            }
        }

        /** Command line, stdout and stderr so far, for failure messages. */
        public String output() {
            return Result.describe(description, command, null, stdout(), stderr(), dir);
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** What a finished JVM left behind. */
    public record Result(String description, List<String> command, int exitCode, String stdout, String stderr,
                         Path jsonFile, Path dir) {

        /** The agent's JSON report; fails (with the output) if it is missing or unreadable. */
        public JsonNode json() {
            if (!Files.isRegularFile(jsonFile)) {
                fail("no JSON report at " + jsonFile + "\n" + this);
            }
            try {
                return JSON.readTree(jsonFile.toFile());
            } catch (IOException e) {
                fail("unreadable JSON report " + jsonFile + ": " + e + "\n" + this);
                throw new AssertionError(e);
            }
        }

        public List<String> stdoutLines() {
            return stdout.lines().toList();
        }

        public List<String> stderrLines() {
            return stderr.lines().toList();
        }

        @Override
        public String toString() {
            return describe(description, command, exitCode, stdout, stderr, dir);
        }

        static String describe(String description, List<String> command, Integer exitCode, String stdout,
                               String stderr, Path dir) {
            return "---- " + description + (exitCode == null ? "" : ", exit code " + exitCode) + " (files in " + dir
                    + ")\n$ " + String.join(" ", command)
                    + "\n---- stdout:\n" + stdout
                    + "\n---- stderr:\n" + stderr + "\n---- end of output";
        }
    }

    /** Parses a JSON file, or empty if it does not exist (yet) or is being rewritten. */
    static Optional<JsonNode> tryReadJson(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            return node == null || node.isMissingNode() ? Optional.empty() : Optional.of(node);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /** {@code File.pathSeparator}-joined class path with {@code first} in front of the test class path. */
    public static String classpathWith(Path first) {
        return first + File.pathSeparator + testClasspath();
    }
}
