package io.threadleak.agent.internal;

import io.threadleak.agent.AgentOptions;
import io.threadleak.bootstrap.ThreadLeakBridge;
import io.threadleak.core.Clock;
import io.threadleak.core.Config;
import io.threadleak.core.StackMode;
import io.threadleak.core.ThreadLeakMonitor;
import io.threadleak.core.registry.ThreadIds;
import io.threadleak.core.registry.ThreadRecord;
import io.threadleak.core.registry.VirtualThreadCensus;
import io.threadleak.core.sample.TaskFields;
import java.lang.instrument.Instrumentation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;

/**
 * Installs the agent once per JVM: options, task fields, monitor, instrumentation, bridge hooks, existing threads,
 * shutdown report and sampler thread, in that order. The JDK classes are woven while the bridge is still a no-op, so
 * that a failed start can take every hook out again (the bridge installs once and cannot be switched off); the
 * threads that start before the bridge goes live are registered with the existing ones.
 */
public final class AgentInstaller {

    private static final Object LOCK = new Object();
    private static volatile Instant installedAt;

    private AgentInstaller() {
    }

    /**
     * Installs the agent, unless it already runs.
     *
     * @return {@code null} when the agent runs; with {@code strict=true}, why it could not start (hooks missing)
     * @throws Exception when it could not start otherwise; nothing of it is left behind in the JVM
     */
    public static String install(String args, Instrumentation inst, boolean attached) throws Exception {
        synchronized (LOCK) {
            if (installedAt != null) {
                System.err.println("threadleak: already attached since " + installedAt
                        + "; options unchanged (restart the JVM to change them)");
                return null;
            }
            long t0 = System.nanoTime();
            AgentOptions options = AgentOptions.parse(args, System.getProperties());
            for (String problem : options.problems()) {
                System.err.println("threadleak: " + problem);
            }
            Config config = options.config();
            if (!options.appGiven()) {
                config = config.withApp(AppPackages.guess(System.getProperty("sun.java.command")));
            }
            Thread main = attached ? findMain() : Thread.currentThread();
            String level = options.logLevel();
            Map.Entry<TaskFields, String> fields = JdkTaskFields.open(inst);
            Map.Entry<VirtualThreadCensus, String> census = JdkVirtualThreads.open(inst, fields.getKey());
            ThreadLeakMonitor monitor = new ThreadLeakMonitor(config, () -> AgentLogging.create(level), Clock.SYSTEM,
                    main, ThreadLeakBridge::failures, fields.getKey(), census.getKey());
            warmUp(monitor);
            // weave first, while the bridge is still a no-op: a failed start can take every hook out again
            JdkInstrumentation hooks = JdkInstrumentation.install(inst);
            try {
                List<String> missing = missing(hooks, fields.getValue(), census.getValue());
                if (options.strict() && !missing.isEmpty()) {
                    hooks.rollback(inst);
                    return "strict=true and the agent could not hook everything, so it did not start: "
                            + String.join("; ", missing);
                }
                BridgeHooks bridgeHooks = new BridgeHooks(monitor.tracker(), monitor.executorTracker(),
                        monitor.taskTracker(), monitor.scopeTracker(), monitor.policy(),
                        config.stacks() == StackMode.NONE ? 0 : config.stackDepth(),
                        config.stacks() == StackMode.ALL, options.faultInjection(), fields.getKey(), census.getKey());
                if (!ThreadLeakBridge.install(bridgeHooks)) {
                    throw new IllegalStateException("the bridge was already installed by someone else");
                }
                monitor.registerExisting();
                Thread shutdown = new Thread(monitor::shutdown, "threadleak-shutdown");
                monitor.markOwn(shutdown);
                Runtime.getRuntime().addShutdownHook(shutdown);
                long millis = (System.nanoTime() - t0) / 1_000_000;
                String line = "threadleak " + (attached ? "attached" : "started") + " in " + millis + " ms: "
                        + describe(options, config) + "; hooks: " + hooks.placed()
                        + (missing.isEmpty() ? "" : "; skipped: " + String.join("; ", missing));
                monitor.addListener(report -> logLate(hooks));
                monitor.publishJmx(describe(options, config));
                if (options.prove() != null) {
                    monitor.enableProof(options.prove(), agentJar());
                }
                if (options.faultInjection()) {
                    monitor.addListener(report -> logInjectedFaults(report.last(), bridgeHooks));
                }
                monitor.start(log -> {
                    LATE_LOG.set(log);
                    if (missing.isEmpty()) {
                        log.info(line);
                    } else {
                        log.warn(line);
                    }
                });
            } catch (Throwable t) {
                hooks.rollback(inst);
                throw t;
            }
            installedAt = Instant.now();
            return null;
        }
    }

    /** Where the sampler logs problems met after start-up (set by the sampler thread's greeting). */
    private static final AtomicReference<Logger> LATE_LOG = new AtomicReference<>();

    /** Logs, on the sampler thread, the classes that could not be hooked after start-up. */
    private static void logLate(JdkInstrumentation hooks) {
        Logger log = LATE_LOG.get();
        if (log != null) {
            for (String problem : hooks.lateProblems()) {
                log.warn("threadleak: {}; what it would have reported is not tracked", problem);
            }
        }
    }

    /** With fault injection: which hook calls failed on purpose, in the final report (tests read it). */
    private static void logInjectedFaults(boolean last, BridgeHooks bridgeHooks) {
        Logger log = LATE_LOG.get();
        if (last && log != null) {
            log.info("fault injection: hook calls failed on purpose: {}", String.join(", ",
                    bridgeHooks.injectedFaults()));
        }
    }

    /** The hooks that could not be placed and the task state that cannot be read, one entry each. */
    private static List<String> missing(JdkInstrumentation hooks, String fieldsProblem, String censusProblem) {
        List<String> out = new ArrayList<>();
        hooks.skipped().forEach((cls, why) -> out.add(cls + " (" + why + ")"));
        if (!fieldsProblem.isEmpty()) {
            out.add("task and future state (" + fieldsProblem + "; reports show less of them)");
        }
        if (!censusProblem.isEmpty()) {
            out.add("the JDK's list of virtual threads (" + censusProblem
                    + "; every virtual thread is recorded as it starts, which costs more)");
        }
        return out;
    }

    private static String describe(AgentOptions options, Config config) {
        if (options.appGiven()) {
            return options.toString();
        }
        return options + (config.app().isEmpty()
                ? "; application packages unknown, blaming the first non-JDK frame (set app= to name them)"
                : "; blaming code in " + String.join(";", config.app()) + " (from the main class; set app= to change)");
    }

    /** The agent jar, whose {@code prove} command the {@code prove=} option runs in a separate JVM. */
    private static java.nio.file.Path agentJar() throws java.net.URISyntaxException {
        return java.nio.file.Path.of(AgentInstaller.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Loads every class the hooks use before they go live, so the first hook call loads nothing. */
    private static void warmUp(ThreadLeakMonitor monitor) {
        Thread probe = new Thread(() -> { }, "threadleak-probe");
        monitor.tracker().threadStarting(probe);
        ThreadRecord record = monitor.registry().get(ThreadIds.of(probe));
        if (record != null) {
            monitor.registry().forget(record);
        }
    }

    /** The application's main thread when attaching later, or {@code null} once main has returned. */
    private static Thread findMain() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n = root.enumerate(threads, true);
        for (int i = 0; i < n; i++) {
            ThreadGroup g = threads[i].getThreadGroup();
            if ("main".equals(threads[i].getName()) && g != null && "main".equals(g.getName())) {
                return threads[i];
            }
        }
        return null;
    }
}
