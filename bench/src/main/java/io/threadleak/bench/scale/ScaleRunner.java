package io.threadleak.bench.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scale benchmark (spec §7, "Scale"): forks {@link ScaleTarget} without and with the agent for each scenario
 * and prints, per scenario, the agent's heap per thread (difference of the heap in use after full GCs), its
 * sampler's CPU per second (in a first window, which includes reading each parked thread once, and in a second,
 * steady one), the longest stop-the-world pause of a VM operation the agent causes (from
 * {@code -Xlog:safepoint}, within the measuring windows), and start or churn timings.
 *
 * <pre>
 * java -cp bench/target/threadleak-bench.jar io.threadleak.bench.scale.ScaleRunner --agent agent/target/threadleak-agent.jar
 *      [--agent-options sample=1s,...] [--platform 10000] [--virtual 100000] [--churn 1000000] [--measure 20]
 *      [--markdown file]
 * </pre>
 * Forks use the {@code java} that runs this class. A scenario's count of 0 skips it.
 */
public final class ScaleRunner {

    /**
     * VM operations the agent's sampler asks for: thread dumps and deadlock searches. Garbage collections are
     * not counted: their pauses depend on the whole heap, and the churn scenario shows what the agent allocates.
     */
    private static final List<String> AGENT_OPERATIONS = List.of("ThreadDump", "FindDeadlocks", "PrintThreads",
            "GetAllStackTraces");
    private static final Pattern SAFEPOINT = Pattern.compile(
            "\\[(\\d+\\.\\d+)s\\].*Safepoint \"([^\"]+)\".*Total: (\\d+) ns");

    private ScaleRunner() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String agent = opts.get("agent");
        if (agent == null || !Files.isRegularFile(Path.of(agent))) {
            System.err.println("usage: ScaleRunner --agent <threadleak-agent.jar> [--agent-options k=v,...] "
                    + "[--platform N] [--virtual N] [--churn N] [--measure SECONDS] [--markdown FILE]");
            System.exit(2);
        }
        String agentOptions = opts.getOrDefault("agent-options", "sample=1s,app=io.threadleak.bench");
        int measure = Integer.parseInt(opts.getOrDefault("measure", "20"));
        List<String> rows = new ArrayList<>();
        int platform = Integer.parseInt(opts.getOrDefault("platform", "10000"));
        int virtual = ScaleTarget.supportsVirtual() ? Integer.parseInt(opts.getOrDefault("virtual", "100000")) : 0;
        int churn = Integer.parseInt(opts.getOrDefault("churn", "1000000"));
        Path work = Files.createTempDirectory("threadleak-scale");
        if (platform > 0) {
            rows.add(parked("platform", platform, agent, agentOptions, measure, work));
        }
        if (virtual > 0) {
            rows.add(parked("virtual", virtual, agent, agentOptions, measure, work));
        }
        if (churn > 0) {
            rows.add(churn(churn, agent, agentOptions, work));
        }
        String table = "| JDK | scenario | agent heap | sampler CPU | longest agent pause | other |\n"
                + "|---|---|---:|---:|---:|---|\n" + String.join("\n", rows) + "\n";
        System.out.print(table);
        if (opts.containsKey("markdown")) {
            Files.writeString(Path.of(opts.get("markdown")), table);
        }
    }

    private static String parked(String scenario, int count, String agent, String agentOptions, int measure,
                                 Path work) throws IOException, InterruptedException {
        Run plain = Run.fork(scenario, count, null, null, 3, measure, work);
        Run with = Run.fork(scenario, count, agent, agentOptions, 3, measure, work);
        // the parked virtual threads' own stacks (StackChunk objects) are the application's, and vary between runs
        double heapPer = ((with.heapUsed() - with.value("stackChunkBytes"))
                - (plain.heapUsed() - plain.value("stackChunkBytes"))) / (double) count;
        double cpuPerSecond = with.value("samplerCpuNanos") / 1e6 / ((with.value("firstWindowEndMillis")
                - with.value("windowStartMillis")) / 1000.0);
        double steadyPerSecond = with.value("steadyCpuNanos") / 1e6 / ((with.value("windowEndMillis")
                - with.value("firstWindowEndMillis")) / 1000.0);
        Pause window = with.longestAgentPause(true);
        Pause whole = with.longestAgentPause(false);
        return String.format(Locale.ROOT, "| %s | %,d parked %s threads | %.0f B per thread | %.1f ms/s, then %.1f ms/s "
                        + "| %s (whole run: %s) | start %.0f ms without, %.0f ms with the agent (%.2fx) |",
                Runtime.version().feature(), count, scenario, heapPer, cpuPerSecond, steadyPerSecond, window, whole,
                plain.value("startNanos") / 1e6, with.value("startNanos") / 1e6,
                with.value("startNanos") / (double) plain.value("startNanos"));
    }

    private static String churn(int tasks, String agent, String agentOptions, Path work)
            throws IOException, InterruptedException {
        Run plain = Run.fork("churn", tasks, null, null, 3, 0, work);
        Run with = Run.fork("churn", tasks, agent, agentOptions, 3, 0, work);
        long plainGrowth = plain.heapUsed() - plain.value("heapBefore");
        long agentGrowth = with.heapUsed() - with.value("heapBefore");
        return String.format(Locale.ROOT, "| %s | %,d tasks and %,d threads churned | %+.2f MiB after churn "
                        + "(without the agent %+.2f MiB) | - | %s | churn %.1f s without, %.1f s with the agent |",
                Runtime.version().feature(), tasks, tasks / 10, agentGrowth / 1048576.0, plainGrowth / 1048576.0,
                with.longestAgentPause(false), plain.value("churnNanos") / 1e9, with.value("churnNanos") / 1e9);
    }

    /** A stop-the-world pause: its VM operation and length. */
    record Pause(String operation, long nanos) {
        @Override
        public String toString() {
            return nanos == 0 ? "none" : String.format(Locale.ROOT, "%.1f ms %s", nanos / 1e6, operation);
        }
    }

    /** One forked run and what it wrote. */
    record Run(Map<String, Long> values, List<String> safepoints) {

        static Run fork(String scenario, int count, String agent, String agentOptions, int settle, int measure,
                        Path work) throws IOException, InterruptedException {
            Path result = Files.createTempFile(work, scenario, ".txt");
            Path log = Files.createTempFile(work, scenario, ".safepoint.log");
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx4g");
            cmd.add("-Xlog:safepoint:file=" + log);
            if (agent != null) {
                cmd.add("-javaagent:" + agent + (agentOptions.isEmpty() ? "" : "=" + agentOptions));
            }
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(ScaleTarget.class.getName());
            cmd.add(scenario);
            cmd.add(String.valueOf(count));
            cmd.add(String.valueOf(settle));
            cmd.add(String.valueOf(measure));
            cmd.add(result.toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(work.resolve(scenario + (agent == null ? "-plain" : "-agent") + ".out").toFile())
                    .start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("fork failed (" + p.exitValue() + "): " + cmd + ", see " + work);
            }
            Map<String, Long> values = new TreeMap<>();
            for (String line : Files.readAllLines(result)) {
                int eq = line.indexOf('=');
                values.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
            }
            return new Run(values, Files.readAllLines(log));
        }

        long value(String key) {
            Long v = values.get(key);
            if (v == null) {
                throw new IllegalStateException("no " + key + " in " + values);
            }
            return v;
        }

        long heapUsed() {
            return value("heapUsed");
        }

        /**
         * The longest pause of an operation the agent asks for, within the measuring window or over the whole run up
         * to the window's end. Not after it: the run then wakes every parked thread at once to end, and any
         * safepoint then waits up to a second for thousands of runnable threads on a few CPUs to reach it.
         */
        Pause longestAgentPause(boolean windowOnly) {
            Pause longest = new Pause("", 0);
            for (String line : safepoints) {
                Matcher m = SAFEPOINT.matcher(line);
                if (!m.find()) {
                    continue;
                }
                double at = Double.parseDouble(m.group(1)) * 1000;
                if (windowOnly && at < value("windowStartMillis")
                        || values.containsKey("windowEndMillis") && at > value("windowEndMillis")) {
                    continue;
                }
                String op = m.group(2);
                long nanos = Long.parseLong(m.group(3));
                if (AGENT_OPERATIONS.contains(op) && nanos > longest.nanos()) {
                    longest = new Pause(op, nanos);
                }
            }
            return longest;
        }
    }
}
