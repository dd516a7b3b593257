package io.threadleak.core.proof;

import io.threadleak.core.Clock;
import io.threadleak.core.rules.Suspect;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The {@code prove=<duration>} option: once a {@code STUCK} or {@code DEADLOCK} suspect has held that long, runs
 * {@code java -jar threadleak-agent.jar prove <this pid> --format json} once for it, in a <b>separate JVM</b> (this
 * JVM's own {@code java}), so that no heap analysis ever runs here. This JVM only writes the heap dump the child asks
 * for, which pauses it (the log line says so, and the result says for how long).
 *
 * <p>The sampler thread only decides and starts ({@link #consider}) and later picks up the outcome ({@link #poll});
 * the child is started, waited for and read on the agent's own daemon thread {@value #THREAD}, which catches
 * everything. At most one child runs at a time, at least {@link #SPACING} apart; it gets a bounded heap, a timeout
 * ({@link #TIMEOUT}) after which it is killed, and it is killed at shutdown. Its temporary directory (where the
 * dump is written) is private to this user and deleted afterwards, even when the child was killed.
 */
public final class ProofLauncher {

    static final String THREAD = "threadleak-prover";
    /** How long a child may run before it is killed. */
    static final Duration TIMEOUT = Duration.ofMinutes(10);
    /** The least time between the end of one run and the start of the next. */
    static final Duration SPACING = Duration.ofMinutes(10);
    /** The most of the child's output read back. */
    static final int MAX_OUTPUT = 4 << 20;
    /** Environment variables that would make the child load agents or options meant for this JVM. */
    static final List<String> SCRUBBED_ENV = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS",
            "CLASSPATH");

    /** The end of a run: a result, or why there is none. */
    public record Outcome(ProofResult result, String failure, long elapsedMillis) {
    }

    private final Duration after;
    private final Path agentJar;
    private final String javaCommand;
    private final Duration timeout;
    private final Clock clock;
    private final Consumer<Thread> markOwn;
    private final Set<String> attempted = new HashSet<>();
    private final AtomicReference<Outcome> finished = new AtomicReference<>();
    private volatile Process child;
    private volatile Path runDir;
    private volatile boolean stopped;
    private boolean running;
    private long lastEndNanos;
    private boolean ranOnce;

    /**
     * @param after    how long a suspect must hold before it is proven
     * @param agentJar the agent jar, whose {@code prove} command the child runs
     * @param markOwn  marks the prover thread as the agent's own (never tracked)
     */
    public ProofLauncher(Duration after, Path agentJar, Clock clock, Consumer<Thread> markOwn) {
        this(after, agentJar, clock, markOwn, javaBinary(), TIMEOUT);
    }

    /** With another launcher binary and timeout (tests). */
    ProofLauncher(Duration after, Path agentJar, Clock clock, Consumer<Thread> markOwn, String javaCommand,
                  Duration timeout) {
        this.javaCommand = javaCommand;
        this.timeout = timeout;
        this.after = after;
        this.agentJar = agentJar;
        this.clock = clock;
        this.markOwn = markOwn;
    }

    public Duration after() {
        return after;
    }

    /**
     * Sampler thread: starts a run when a provable suspect has held long enough and none was tried for it, no run
     * is under way and the last one ended {@link #SPACING} ago. Never blocks.
     *
     * @return the log line saying a run started, or {@code null}
     */
    public String consider(List<Suspect> current, long nowNanos) {
        Set<String> keys = new HashSet<>();
        for (Suspect s : current) {
            keys.add(s.key());
        }
        attempted.retainAll(keys); // bounded; a suspect that resolved and came back may be proven again
        if (running || stopped || (ranOnce && nowNanos - lastEndNanos < SPACING.toNanos())) {
            return null;
        }
        List<Suspect> due = new ArrayList<>();
        for (Suspect s : current) {
            // without exemplars (exemplars=0) a result could mark nothing: no pause for it
            if (ProofMarks.provable(s) && !s.exemplars().isEmpty() && !attempted.contains(s.key())
                    && nowNanos - s.sinceNanos() >= after.toNanos()) {
                due.add(s);
            }
        }
        if (due.isEmpty()) {
            return null;
        }
        due.forEach(s -> attempted.add(s.key()));
        long heapMb = childHeapMb(Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory(),
                physicalMemory());
        if (heapMb < 0) {
            return "prove: not proving " + describe(due) + ": the analysis would need about "
                    + neededMb(Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory())
                    + " MB in a separate JVM, more than half of this machine's memory; run"
                    + " 'java -Xmx<size> -jar threadleak-agent.jar prove " + ProcessHandle.current().pid()
                    + "' where there is room";
        }
        running = true;
        Thread t = new Thread(() -> run(heapMb), THREAD);
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((thread, e) -> { });
        markOwn.accept(t);
        t.start();
        return "prove: " + describe(due) + " held " + format(after) + "; proving it in a separate JVM (" + heapMb
                + " MB heap, pid of this JVM " + ProcessHandle.current().pid() + "): the heap dump it takes pauses this"
                + " JVM; the result follows";
    }

    /** Sampler thread: the outcome of the run that ended since the last call, or {@code null}. */
    public Outcome poll() {
        Outcome o = finished.getAndSet(null);
        if (o != null) {
            running = false;
            ranOnce = true;
            lastEndNanos = clock.nanoTime();
        }
        return o;
    }

    /** The running child, or {@code null} (tests). */
    Process child() {
        return child;
    }

    /** The directory of the latest run (deleted once it ended), for tests. */
    Path lastRunDir() {
        return runDir;
    }

    /** Shutdown: kills a running child and deletes its directory. */
    public void stop() {
        stopped = true;
        Process p = child;
        if (p != null) {
            kill(p);
        }
        deleteQuietly(runDir);
    }

    private void run(long heapMb) {
        long start = System.nanoTime();
        Outcome outcome;
        Path dir = null;
        try {
            dir = privateDirectory();
            runDir = dir;
            Path out = dir.resolve("prove-output.txt");
            ProcessBuilder pb = new ProcessBuilder(command(javaCommand, agentJar, ProcessHandle.current().pid(),
                    heapMb, dir)).redirectErrorStream(true).redirectOutput(out.toFile()).directory(dir.toFile());
            SCRUBBED_ENV.forEach(pb.environment()::remove);
            Process p = pb.start();
            child = p;
            if (stopped) {
                kill(p);
            }
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                kill(p);
                outcome = new Outcome(null, "the prove JVM did not finish within " + format(timeout) + " and was killed",
                        millisSince(start));
            } else {
                outcome = outcome(p.exitValue(), read(out), millisSince(start));
            }
        } catch (InterruptedException e) {
            outcome = new Outcome(null, "interrupted", millisSince(start));
        } catch (Throwable e) {
            outcome = new Outcome(null, "cannot run the prove JVM: " + e, millisSince(start));
        } finally {
            child = null;
            deleteQuietly(dir);
        }
        finished.set(outcome);
    }

    /** Reads what the child printed: its JSON line, or why it failed. */
    static Outcome outcome(int exit, String output, long elapsedMillis) {
        String json = null;
        List<String> other = new ArrayList<>();
        for (String line : output.split("\\R")) {
            if (line.startsWith("{")) {
                json = line;
            } else if (!line.isBlank() && other.size() < 3) {
                other.add(line.trim());
            }
        }
        if (exit == 0 && json != null) {
            try {
                return new Outcome(ProofResult.parse(json, "agent"), null, elapsedMillis);
            } catch (IllegalArgumentException e) {
                return new Outcome(null, e.getMessage(), elapsedMillis);
            }
        }
        return new Outcome(null, "the prove JVM exited with status " + exit
                + (other.isEmpty() ? "" : ": " + String.join(" / ", other)), elapsedMillis);
    }

    /**
     * The child's command line: this JVM's {@code java}, a bounded heap, a private temporary directory (the dump is
     * written there), the agent jar's {@code prove} command on this JVM's pid, JSON out, and not recorded through
     * JMX (this launcher reads the output itself).
     */
    static List<String> command(String java, Path agentJar, long pid, long heapMb, Path tmp) {
        return List.of(java, "-Xmx" + heapMb + "m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + tmp,
                "-jar", agentJar.toString(), "prove", Long.toString(pid), "--format", "json", "--no-record");
    }

    /**
     * The analysis needs about 2 GB of heap per GB of live heap (75-90 bytes per object: docs/performance.md): 3 times
     * the heap in use plus 256 MB, at least 384 MB.
     */
    static long neededMb(long heapUsedBytes) {
        return Math.max(384, 3 * (heapUsedBytes >> 20) + 256);
    }

    /**
     * The child's heap in MB, or -1 when it would need more than half the machine's memory (unknown memory:
     * {@code physicalBytes <= 0}, no limit beyond the need).
     */
    static long childHeapMb(long heapUsedBytes, long physicalBytes) {
        long need = neededMb(heapUsedBytes);
        if (physicalBytes > 0 && need > (physicalBytes >> 20) / 2) {
            return -1;
        }
        return need;
    }

    /** This JVM's own {@code java} launcher. */
    static String javaBinary() {
        return ProcessHandle.current().info().command()
                .filter(c -> Files.isExecutable(Path.of(c)))
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static String describe(List<Suspect> due) {
        Suspect first = due.get(0);
        return first.rule() + " at " + first.blame() + (due.size() > 1 ? " and " + (due.size() - 1) + " more" : "");
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return d.toMillis() % 1000 != 0 ? d.toMillis() + "ms" : s % 60 != 0 ? s + "s" : s / 60 + "m";
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8);
        }
    }

    private static Path privateDirectory() throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempDirectory("threadleak-prover-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return Files.createTempDirectory("threadleak-prover-");
    }

    static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** The machine's (or container's) memory in bytes, or -1 when the JVM does not say. */
    static long physicalMemory() {
        try {
            if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getTotalMemorySize();
            }
        } catch (Throwable e) {
            // jdk.management absent: no limit known
        }
        return -1;
    }
}
