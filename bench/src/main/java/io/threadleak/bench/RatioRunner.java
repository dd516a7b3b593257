package io.threadleak.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.ListStatistics;

/**
 * Runs every benchmark of this module twice in one invocation — once in a plain forked JVM, once in a
 * forked JVM with {@code -javaagent:<agent>} — and prints score without, score with, the throughput
 * ratio (with / without) and the performance budget of spec §7 with PASS/OVER per row.
 *
 * <pre>
 * java -jar bench/target/threadleak-bench.jar --agent &lt;agent.jar&gt; [--agent-options k=v,...]
 *      [--quick] [--forks n] [--include regex] [--markdown file] [--verbose]
 * </pre>
 *
 * Forks use the {@code java} that runs this class. Exit status: 0 when every selected benchmark
 * produced both scores (whether PASS or OVER), 1 when one failed, 2 on a usage error.
 */
public final class RatioRunner {

    private static final String PACKAGE = RatioRunner.class.getPackageName();

    /** One benchmark class and its budget, expressed as the minimum throughput ratio with/without. */
    static final class Bench {
        final String name;
        final double minRatio;
        final String budgetNote;
        final boolean needsVirtualThreads;

        Bench(String name, double minRatio, String budgetNote, boolean needsVirtualThreads) {
            this.name = name;
            this.minRatio = minRatio;
            this.budgetNote = budgetNote;
            this.needsVirtualThreads = needsVirtualThreads;
        }

        String fqcn() {
            return PACKAGE + "." + name;
        }
    }

    /**
     * Spec §7 budgets. Thread start+join is "time ≤ 1.05×", i.e. throughput ratio ≥ 1/1.05; virtual thread
     * start+join "time ≤ 1.10×", ≥ 1/1.10.
     */
    static final List<Bench> BENCHES = List.of(
            new Bench("ThreadStartJoin", 1 / 1.05, "time <= 1.05x", false),
            new Bench("VirtualThreadStartJoin", 1 / 1.10, "time <= 1.10x", true),
            new Bench("ExecutorSubmit", 0.95, "", false),
            new Bench("ForkJoinSubmit", 0.95, "", false),
            new Bench("NestedSubmit", 0.95, "", false),
            new Bench("CompletableFutureChain", 0.95, "", false));

    /** Parsed command line. */
    static final class Args {
        Path agent;
        String agentOptions;
        boolean quick;
        Pattern include;
        Path markdown;
        boolean verbose;
        boolean jfr;
        int forks = 1;
    }

    /**
     * What a user would otherwise run to learn where threads start: a JFR recording of thread starts with their
     * stacks (platform and virtual), and nothing else.
     */
    static final String JFR = "-XX:StartFlightRecording:settings=none,+jdk.ThreadStart#enabled=true,"
            + "+jdk.ThreadStart#stackTrace=true,+jdk.VirtualThreadStart#enabled=true,"
            + "+jdk.VirtualThreadStart#stackTrace=true,+jdk.ThreadEnd#enabled=true,+jdk.VirtualThreadEnd#enabled=true";

    /** Measurement iterations of one side (without or with agent), pooled over all its forks. */
    static final class Score {
        final ListStatistics stats = new ListStatistics();
        String unit = "";

        double mean() {
            return stats.getMean();
        }

        /** JMH-style 99.9% confidence half-width (NaN with fewer than 3 iterations). */
        double error() {
            return stats.getN() > 2 ? stats.getMeanErrorAt(0.999) : Double.NaN;
        }
    }

    /** One table row. */
    static final class Row {
        final Bench bench;
        final Score without = new Score();
        final Score with = new Score();
        final Score jfr = new Score();
        String problem; // why there is no ratio (n/a reason or error text); null when both scores exist
        boolean notApplicable;

        Row(Bench bench) {
            this.bench = bench;
        }

        double ratio() {
            return with.mean() / without.mean();
        }

        /** Propagated relative error of the ratio (NaN when JMH gave no error). */
        double ratioError() {
            double a = without.error() / without.mean();
            double b = with.error() / with.mean();
            return ratio() * Math.sqrt(a * a + b * b);
        }

        /** Throughput with the agent / with a JFR recording of thread starts with stacks; NaN when not run. */
        double versusJfr() {
            return jfr.stats.getN() == 0 ? Double.NaN : with.mean() / jfr.mean();
        }

        String verdict() {
            if (problem != null) {
                return notApplicable ? "n/a" : "ERROR";
            }
            return ratio() >= bench.minRatio ? "PASS" : "OVER";
        }
    }

    private static final PrintStream OUT = System.out;

    private RatioRunner() {
    }

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    static int run(String[] argv) {
        Args args;
        try {
            args = parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println();
            System.err.println(usage());
            return 2;
        }
        if (args == null) { // --help
            OUT.println(usage());
            return 0;
        }
        if (args.agent == null) {
            System.err.println("error: --agent <path-to-agent-jar> is required (e.g. agent/target/threadleak-agent.jar)");
            System.err.println();
            System.err.println(usage());
            return 2;
        }
        if (!Files.isRegularFile(args.agent)) {
            System.err.println("error: agent jar not found: " + args.agent.toAbsolutePath()
                    + " (build it first: mvn -B -pl agent -am package)");
            return 2;
        }
        Path agent = args.agent.toAbsolutePath().normalize();
        String javaagent = "-javaagent:" + agent
                + (args.agentOptions == null || args.agentOptions.isEmpty() ? "" : "=" + args.agentOptions);

        List<Row> rows = new ArrayList<>();
        for (Bench b : BENCHES) {
            if (args.include == null || args.include.matcher(b.fqcn()).find()
                    || args.include.matcher(b.name).find()) {
                rows.add(new Row(b));
            }
        }
        if (rows.isEmpty()) {
            System.err.println("error: --include " + args.include.pattern() + " matches no benchmark; known: "
                    + BENCHES.stream().map(b -> b.name).reduce((x, y) -> x + ", " + y).orElse(""));
            return 2;
        }

        List<String> baseJvmArgs = forkJvmArgs();
        String header = header(args, javaagent, baseJvmArgs);
        OUT.println(header);
        OUT.println();

        int step = 0;
        int steps = 0;
        for (Row r : rows) {
            if (r.bench.needsVirtualThreads && !VirtualThreadStartJoin.supported()) {
                r.notApplicable = true;
                r.problem = "n/a on this JDK (virtual threads need JDK " + VirtualThreadStartJoin.MIN_FEATURE + "+)";
            } else {
                steps += (args.jfr ? 3 : 2) * args.forks;
            }
        }
        for (Row r : rows) {
            if (r.problem != null) {
                OUT.println("[skip] " + r.bench.name + ": " + r.problem);
                continue;
            }
            // plain and agent forks back to back (ABBA order over several forks), so that drift of the
            // machine's load hits both sides alike; iterations of all forks of a side are pooled
            try {
                int sides = args.jfr ? 3 : 2;
                for (int f = 0; f < args.forks; f++) {
                    for (int k = 0; k < sides; k++) {
                        int side = (f % 2 == 0 ? k : sides - 1 - k); // 0 plain, 1 agent, 2 JFR; reversed every other fork
                        Score into = side == 0 ? r.without : side == 1 ? r.with : r.jfr;
                        sampleLoad();
                        OUT.printf(Locale.ROOT, "[%d/%d] %s %s ...%n", ++step, steps, r.bench.name,
                                side == 0 ? "without agent" : side == 1 ? "with agent" : "with JFR, no agent");
                        OUT.println("        " + score(runOne(r.bench, args, baseJvmArgs,
                                side == 0 ? null : side == 1 ? javaagent : JFR, into)));
                    }
                }
            } catch (RunnerException | RuntimeException e) {
                r.problem = describe(e);
                OUT.println("        error: " + r.problem);
                if (!args.verbose) {
                    OUT.println("        (rerun with --verbose for JMH's full output)");
                }
            }
        }

        OUT.println();
        OUT.println(textTable(rows));
        OUT.println("ratio = throughput with agent / throughput without (1.000 = no overhead; higher is better)."
                + " PASS when ratio >= budget.");
        String load = loadNote();
        if (load != null) {
            OUT.println(load);
        }

        if (args.markdown != null) {
            try {
                Path parent = args.markdown.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.write(args.markdown, markdown(header, rows).getBytes(StandardCharsets.UTF_8));
                OUT.println("Markdown written to " + args.markdown.toAbsolutePath());
            } catch (IOException e) {
                System.err.println("error: cannot write " + args.markdown + ": " + e);
                return 1;
            }
        }
        return rows.stream().anyMatch(r -> "ERROR".equals(r.verdict())) ? 1 : 0;
    }

    /** One JMH run of one fork; adds its measurement iterations to {@code into}, returns this fork's own. */
    private static Score runOne(Bench b, Args args, List<String> baseJvmArgs, String javaagent, Score into)
            throws RunnerException {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include("^" + Pattern.quote(b.fqcn()) + "\\.")
                .shouldFailOnError(true)
                .verbosity(args.verbose ? VerboseMode.NORMAL : VerboseMode.SILENT)
                .forks(1)
                .jvmArgs(baseJvmArgs.toArray(new String[0]));
        if (args.quick) {
            o.warmupIterations(2).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(3).measurementTime(TimeValue.seconds(1));
        } else {
            o.warmupIterations(3).warmupTime(TimeValue.seconds(2))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(2));
        }
        if (javaagent != null) {
            o.jvmArgsAppend(javaagent);
        }
        Collection<RunResult> results = new Runner(o.build()).run();
        if (results.isEmpty()) {
            throw new IllegalStateException("JMH returned no result for " + b.fqcn());
        }
        Score fork = new Score();
        for (RunResult rr : results) {
            for (BenchmarkResult br : rr.getBenchmarkResults()) {
                for (IterationResult ir : br.getIterationResults()) {
                    double v = ir.getPrimaryResult().getScore();
                    fork.stats.addValue(v);
                    into.stats.addValue(v);
                }
                fork.unit = into.unit = br.getScoreUnit();
            }
        }
        if (fork.stats.getN() == 0) {
            throw new IllegalStateException("JMH returned no iterations for " + b.fqcn());
        }
        return fork;
    }

    private static double maxLoad = -1;

    /** The 1-minute load average before each fork (includes the tail of our own previous fork). */
    private static void sampleLoad() {
        maxLoad = Math.max(maxLoad, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** A line about competing load, or null when the load average is unavailable. */
    static String loadNote() {
        if (maxLoad < 0) {
            return null;
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        String line = String.format(Locale.ROOT, "highest 1-min load average before a fork: %.1f on %d CPUs", maxLoad, cpus);
        return maxLoad > 2.0 * cpus
                ? "WARNING: " + line + " - other processes competed with the benchmarks; rerun on an idle machine"
                : line;
    }

    /**
     * JVM flags for both forks. JMH would otherwise copy this JVM's own input arguments into the fork,
     * including any {@code -javaagent} the runner itself was started with — which would spoil the baseline.
     */
    static List<String> forkJvmArgs() {
        List<String> out = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-javaagent:") || a.startsWith("-agentlib:") || a.startsWith("-agentpath:")
                    || a.startsWith("-Xrunjdwp")) {
                continue;
            }
            out.add(a);
        }
        // JMH 1.37 uses sun.misc.Unsafe::objectFieldOffset; JDK 24+ warns about it on stderr of every fork
        // (JEP 471/498). The option exists since JDK 23 and only silences that, identically in both forks.
        String unsafeAllow = "--sun-misc-unsafe-memory-access=allow";
        if (Runtime.version().feature() >= 23
                && out.stream().noneMatch(a -> a.startsWith("--sun-misc-unsafe-memory-access"))) {
            out.add(unsafeAllow);
        }
        return out;
    }

    // ---------------------------------------------------------------- command line

    static Args parse(String[] argv) {
        Args a = new Args();
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (name) {
                case "-h":
                case "--help":
                    return null;
                case "--quick":
                    a.quick = true;
                    break;
                case "--verbose":
                    a.verbose = true;
                    break;
                case "--jfr":
                    a.jfr = true;
                    break;
                case "--agent":
                    a.agent = Paths.get(value != null ? value : next(argv, ++i, name));
                    break;
                case "--agent-options":
                    a.agentOptions = value != null ? value : next(argv, ++i, name);
                    break;
                case "--include":
                    String re = value != null ? value : next(argv, ++i, name);
                    try {
                        a.include = Pattern.compile(re);
                    } catch (PatternSyntaxException e) {
                        throw new IllegalArgumentException("bad --include regex: " + e.getMessage());
                    }
                    break;
                case "--forks":
                    String n = value != null ? value : next(argv, ++i, name);
                    try {
                        a.forks = Integer.parseInt(n);
                    } catch (NumberFormatException e) {
                        a.forks = 0;
                    }
                    if (a.forks < 1) {
                        throw new IllegalArgumentException("--forks needs a positive integer, got " + n);
                    }
                    break;
                case "--markdown":
                    a.markdown = Paths.get(value != null ? value : next(argv, ++i, name));
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument: " + arg);
            }
        }
        return a;
    }

    private static String next(String[] argv, int i, String name) {
        if (i >= argv.length) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return argv[i];
    }

    static String usage() {
        return String.join("\n",
                "usage: java -jar threadleak-bench.jar --agent <agent.jar> [options]",
                "",
                "Runs each benchmark in a plain forked JVM and in one with -javaagent:<agent.jar>[=<options>],",
                "and prints the throughput ratio (with/without) against the spec budget.",
                "",
                "  --agent <jar>            the threadleak agent jar (required)",
                "  --agent-options <k=v,..> agent options, appended as -javaagent:<jar>=<options>",
                "  --quick                  1 fork, 2 warmups x 1 s, 3 measurements x 1 s",
                "                           (default: 1 fork, 3 warmups x 2 s, 5 measurements x 2 s)",
                "  --forks <n>              forked JVMs per benchmark and side (default 1), run alternately",
                "                           (plain, agent, agent, plain, ...); more forks = steadier ratio",
                "  --include <regex>        only benchmarks whose name matches (e.g. Executor|ForkJoin)",
                "  --markdown <file>        also write the result table as Markdown",
                "  --verbose                show JMH's own output for every run",
                "  --jfr                    also run each benchmark with a JFR recording of thread starts with",
                "                           stacks (no agent), and show agent/JFR (above 1: the agent is cheaper)",
                "",
                "benchmarks: " + BENCHES.stream().map(b -> b.name).reduce((x, y) -> x + ", " + y).orElse(""));
    }

    // ---------------------------------------------------------------- output

    private static String header(Args args, String javaagent, List<String> baseJvmArgs) {
        return String.join("\n",
                "threadleak bench: ratio of throughput with / without the agent",
                "  java:    " + System.getProperty("java.home") + " (" + Runtime.version() + ")",
                "  agent:   " + javaagent,
                "  jvmArgs: " + (baseJvmArgs.isEmpty() ? "(none)" : String.join(" ", baseJvmArgs)),
                "  mode:    " + (args.quick
                        ? "quick: " + forks(args) + ", 2 warmups x 1 s, 3 measurements x 1 s"
                        : "default: " + forks(args) + ", 3 warmups x 2 s, 5 measurements x 2 s")
                        + ", " + Runtime.getRuntime().availableProcessors() + " CPUs");
    }

    private static String forks(Args args) {
        return args.forks + (args.forks == 1 ? " fork" : " forks");
    }

    private static String score(Score r) {
        double err = r.error();
        return fmt(r.mean()) + (Double.isNaN(err) ? "" : " ± " + fmt(err)) + " " + r.unit;
    }

    private static String fmt(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        double a = Math.abs(d);
        String f = a >= 1000 ? "%.0f" : a >= 100 ? "%.1f" : a >= 10 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, f, d);
    }

    private static String[] cells(Row r, boolean md) {
        String ge = md ? "≥ " : ">= ";
        String budget = ge + String.format(Locale.ROOT, "%.3f", r.bench.minRatio)
                + (r.bench.budgetNote.isEmpty() ? "" : " (" + (md ? r.bench.budgetNote.replace("<=", "≤").replace("x", "×")
                        : r.bench.budgetNote) + ")");
        if (r.problem != null) {
            String p = r.problem;
            return new String[] {r.bench.name,
                    r.without.stats.getN() > 0 ? score(r.without) : "-", r.with.stats.getN() > 0 ? score(r.with) : "-",
                    "-", budget, r.verdict() + (r.verdict().equals("n/a") ? "" : ": " + p), "-"};
        }
        double re = r.ratioError();
        String ratio = String.format(Locale.ROOT, "%.3f", r.ratio())
                + (Double.isNaN(re) ? "" : String.format(Locale.ROOT, " ± %.3f", re));
        String jfr = Double.isNaN(r.versusJfr()) ? "-" : score(r.jfr) + " (agent/JFR "
                + String.format(Locale.ROOT, "%.3f", r.versusJfr()) + ")";
        return new String[] {r.bench.name, score(r.without), score(r.with), ratio, budget, r.verdict(), jfr};
    }

    private static final String[] COLUMNS = {"Benchmark", "Without agent", "With agent", "Ratio", "Budget", "Result",
        "JFR thread starts"};

    static String textTable(List<Row> rows) {
        List<String[]> lines = new ArrayList<>();
        lines.add(COLUMNS);
        for (Row r : rows) {
            lines.add(cells(r, false));
        }
        int[] w = new int[COLUMNS.length];
        for (String[] l : lines) {
            for (int c = 0; c < l.length; c++) {
                w[c] = Math.max(w[c], l[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String[] l = lines.get(i);
            for (int c = 0; c < l.length; c++) {
                boolean left = c == 0 || c >= l.length - 2;
                String pad = " ".repeat(w[c] - l[c].length());
                sb.append(left ? l[c] + pad : pad + l[c]);
                if (c < l.length - 1) {
                    sb.append("  ");
                }
            }
            while (sb.length() > 0 && sb.charAt(sb.length() - 1) == ' ') {
                sb.setLength(sb.length() - 1);
            }
            sb.append('\n');
            if (i == 0) {
                int total = 0;
                for (int x : w) {
                    total += x;
                }
                sb.append("-".repeat(total + 2 * (w.length - 1))).append('\n');
            }
        }
        for (Row r : rows) {
            if ("n/a".equals(r.verdict())) {
                sb.append(r.bench.name).append(": ").append(r.problem).append('\n');
            }
        }
        return sb.toString().stripTrailing();
    }

    static String markdown(String header, List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("## threadleak agent overhead\n\n");
        for (String l : header.split("\n")) {
            if (l.startsWith("  ")) {
                sb.append("- ").append(l.strip().replace("|", "\\|")).append('\n');
            }
        }
        sb.append('\n');
        sb.append("| ").append(String.join(" | ", COLUMNS)).append(" |\n");
        sb.append("|---|---:|---:|---:|---:|---|---|\n");
        for (Row r : rows) {
            String[] c = cells(r, true);
            for (int i = 0; i < c.length; i++) {
                c[i] = c[i].replace("|", "\\|");
            }
            sb.append("| ").append(String.join(" | ", c)).append(" |\n");
        }
        sb.append('\n');
        for (Row r : rows) {
            if ("n/a".equals(r.verdict())) {
                sb.append("- ").append(r.bench.name).append(": ").append(r.problem).append('\n');
            }
        }
        String load = loadNote();
        if (load != null) {
            sb.append("- ").append(load).append('\n');
        }
        sb.append("\nRatio = throughput with agent / throughput without (1.000 = no overhead; higher is better);"
                + " ± is the propagated 99.9% error of the two JMH scores. PASS when ratio ≥ budget.\n");
        return sb.toString();
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while (true) {
            // JMH's BenchmarkException carries the benchmark's own failures as suppressed exceptions
            if (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            } else if (t.getSuppressed().length > 0) {
                t = t.getSuppressed()[0];
            } else {
                break;
            }
        }
        String msg = t.getMessage() == null ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + t.getMessage();
        String firstLines = msg.lines().limit(3).reduce((a, b) -> a + " / " + b).orElse(msg);
        return firstLines.length() > 300 ? firstLines.substring(0, 300) + "..." : firstLines;
    }
}
