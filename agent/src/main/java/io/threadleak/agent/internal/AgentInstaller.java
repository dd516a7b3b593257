package io.threadleak.agent.internal;

import io.threadleak.agent.AgentOptions;
import io.threadleak.bootstrap.ThreadLeakBridge;
import io.threadleak.core.Clock;
import io.threadleak.core.Config;
import io.threadleak.core.StackMode;
import io.threadleak.core.ThreadLeakMonitor;
import io.threadleak.core.registry.ThreadIds;
import io.threadleak.core.registry.ThreadRecord;
import io.threadleak.core.sample.TaskFields;
import java.lang.instrument.Instrumentation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Installs the agent once per JVM: options, logging, bridge, monitor, instrumentation, existing threads,
 * sampler thread and shutdown report, in that order, so no thread started after the hooks go live is missed.
 */
public final class AgentInstaller {

    private static final Object LOCK = new Object();
    private static volatile Instant installedAt;

    private AgentInstaller() {
    }

    public static void install(String args, Instrumentation inst, boolean attached) throws Exception {
        synchronized (LOCK) {
            if (installedAt != null) {
                System.err.println("threadleak: already attached since " + installedAt
                        + "; options unchanged (restart the JVM to change them)");
                return;
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
            ThreadLeakMonitor monitor = new ThreadLeakMonitor(config, () -> AgentLogging.create(level), Clock.SYSTEM,
                    main, ThreadLeakBridge::failures, fields.getKey());
            warmUp(monitor);
            ThreadLeakBridge.install(new BridgeHooks(monitor.tracker(), monitor.executorTracker(), monitor.taskTracker(),
                    monitor.policy(), config.stacks() == StackMode.NONE ? 0 : config.stackDepth(),
                    config.stacks() == StackMode.ALL, options.faultInjection()));
            List<String> errors = new ArrayList<>(JdkInstrumentation.install(inst));
            if (!fields.getValue().isEmpty()) {
                errors.add("the state of tasks and futures (" + fields.getValue() + "); reports show less of them");
            }
            monitor.registerExisting();
            Thread hook = new Thread(monitor::shutdown, "threadleak-shutdown");
            monitor.markOwn(hook);
            Runtime.getRuntime().addShutdownHook(hook);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            String description = describe(options, config);
            monitor.start(log -> {
                for (String e : errors) {
                    log.warn("could not instrument {}; threads it starts are not tracked", e);
                }
                log.info("threadleak {} in {} ms: {}", attached ? "attached" : "started", millis, description);
            });
            installedAt = Instant.now();
        }
    }

    private static String describe(AgentOptions options, Config config) {
        if (options.appGiven()) {
            return options.toString();
        }
        return options + (config.app().isEmpty()
                ? "; application packages unknown, blaming the first non-JDK frame (set app= to name them)"
                : "; blaming code in " + String.join(";", config.app()) + " (from the main class; set app= to change)");
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
