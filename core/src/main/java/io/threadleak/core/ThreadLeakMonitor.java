package io.threadleak.core;

import io.threadleak.core.registry.ExecutorRegistry;
import io.threadleak.core.registry.ExecutorTracker;
import io.threadleak.core.registry.TaskTracker;
import io.threadleak.core.registry.ThreadIds;
import io.threadleak.core.registry.ThreadRecord;
import io.threadleak.core.registry.ThreadRegistry;
import io.threadleak.core.registry.ThreadTracker;
import io.threadleak.core.report.JsonRenderer;
import io.threadleak.core.report.Report;
import io.threadleak.core.report.SuspectLedger;
import io.threadleak.core.report.TextRenderer;
import io.threadleak.core.rules.CancelIgnoredRule;
import io.threadleak.core.rules.DeadlockRule;
import io.threadleak.core.rules.ExitBlockedRule;
import io.threadleak.core.rules.GrowingRule;
import io.threadleak.core.rules.Rule;
import io.threadleak.core.rules.StarvedRule;
import io.threadleak.core.rules.StuckRule;
import io.threadleak.core.rules.Suspect;
import io.threadleak.core.sample.Sample;
import io.threadleak.core.sample.Sampler;
import io.threadleak.core.sample.TaskFields;
import io.threadleak.core.site.FramePolicy;
import io.threadleak.core.site.SiteTable;
import io.threadleak.core.site.StackCapture;
import io.threadleak.core.suppress.Suppressions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The running monitor: registry and tracker (fed by the agent's hooks), the sampler thread that evaluates the
 * rules every {@code sample} and reports every {@code interval}, and the final report at shutdown.
 * All analysis happens on the sampler thread (or the shutdown hook), never on application threads.
 */
public final class ThreadLeakMonitor {

    private static final int MAX_SITES = 4096;
    /** Queued tasks are many and come in bursts: their growth counts only above this many times growthFloor. */
    private static final int QUEUED_FLOOR_FACTOR = 25;

    private final Config config;
    private final Supplier<Logger> logFactory;
    private Logger log;
    private final Clock clock;
    private final LongSupplier hookFailures;
    private final ThreadRegistry registry = new ThreadRegistry();
    private final ExecutorRegistry executors = new ExecutorRegistry();
    private final FramePolicy policy;
    private final ThreadTracker tracker;
    private final ExecutorTracker executorTracker;
    private final TaskTracker taskTracker;
    private final Sampler sampler;
    private final List<Rule> rules;
    private final Suppressions suppressions;
    private final SuspectLedger ledger = new SuspectLedger();
    private final TextRenderer text = new TextRenderer();
    private final JsonRenderer json = new JsonRenderer();
    private final List<Consumer<Report>> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private volatile boolean stopped;
    private Sample lastSample;
    private List<Suspect> current = List.of();
    private boolean jsonFailed;
    private boolean tickFailed;

    /**
     * @param main         the application's main thread, or {@code null} when it is not alive any more
     * @param hookFailures how many hook calls failed so far (for the summary)
     */
    public ThreadLeakMonitor(Config config, Logger log, Clock clock, Thread main, LongSupplier hookFailures) {
        this(config, () -> log, clock, main, hookFailures);
    }

    /**
     * @param logFactory makes the logger; called once, on the sampler thread, so that setting up logging
     *                   does not delay the application's start
     */
    public ThreadLeakMonitor(Config config, Supplier<Logger> logFactory, Clock clock, Thread main,
                             LongSupplier hookFailures) {
        this(config, logFactory, clock, main, hookFailures, TaskFields.NONE);
    }

    /**
     * @param fields reads the JDK-private state of tasks and futures (the agent's; {@link TaskFields#NONE} in tests)
     */
    public ThreadLeakMonitor(Config config, Supplier<Logger> logFactory, Clock clock, Thread main,
                             LongSupplier hookFailures, TaskFields fields) {
        this.config = config;
        this.logFactory = logFactory;
        this.clock = clock;
        this.hookFailures = hookFailures;
        this.policy = new FramePolicy(config.app(), config.exclude());
        SiteTable sites = new SiteTable(policy, MAX_SITES);
        StackCapture capture = config.stacks() == StackMode.NONE ? null : new StackCapture(config.stackDepth());
        this.tracker = new ThreadTracker(registry, sites, capture, clock);
        this.executorTracker = new ExecutorTracker(executors, registry, sites, capture, clock);
        this.taskTracker = new TaskTracker(registry, executors, sites, capture, clock);
        // ignoreThreads is a suppression layer (findings stay visible as suppressed), not a sampler exemption
        this.sampler = new Sampler(registry, executors, taskTracker, fields, clock, List.of(), main);
        this.suppressions = new Suppressions(config, policy, main);
        int samples = config.growthSamples();
        int floor = config.growthFloor();
        this.rules = List.of(
                new GrowingRule(samples, floor, config.exemplars()),
                GrowingRule.executors(samples, floor, config.exemplars()),
                GrowingRule.timers(samples, floor, config.exemplars()),
                GrowingRule.queuedTasks(samples, floor * QUEUED_FLOOR_FACTOR, config.exemplars()),
                new StuckRule(config.stuckAfter().toNanos(), config.exemplars(), policy),
                new StarvedRule(config.stuckAfter().toNanos(), config.exemplars()),
                new CancelIgnoredRule(config.cancelAfter().toNanos(), config.exemplars(), policy),
                new DeadlockRule(policy),
                new ExitBlockedRule(config.exitAfter().toNanos(), config.exemplars(), policy));
    }

    /** What the agent's hooks call. */
    public ThreadTracker tracker() {
        return tracker;
    }

    /** What the agent's executor and timer hooks call. */
    public ExecutorTracker executorTracker() {
        return executorTracker;
    }

    /** What the agent's task hooks call. */
    public TaskTracker taskTracker() {
        return taskTracker;
    }

    public ThreadRegistry registry() {
        return registry;
    }

    public FramePolicy policy() {
        return policy;
    }

    /** Receives every report (tests, integrations). Listeners run on the sampler thread and must be quick. */
    public void addListener(Consumer<Report> listener) {
        listeners.add(listener);
    }

    /**
     * Registers the threads alive now, which the agent did not see starting: JDK and VM threads (never
     * suspects) and, after a dynamic attach, the application's threads ("started before the agent").
     */
    public void registerExisting() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 64];
        int n = root.enumerate(threads, true);
        long now = clock.nanoTime();
        for (int i = 0; i < n; i++) {
            Thread t = threads[i];
            long id = ThreadIds.of(t);
            if (id < 0 || registry.isOwn(id)) {
                continue;
            }
            ThreadGroup g = t.getThreadGroup();
            boolean system = g == null || g == root || t.getClass().getName().startsWith("jdk.internal.");
            registry.add(new ThreadRecord(t, id, t.getName(), false, t.isDaemon(), null, -1, null,
                    clock.currentTimeMillis(), now,
                    system ? ThreadRecord.Origin.SYSTEM : ThreadRecord.Origin.PREEXISTING));
        }
    }

    /** Starts the sampler thread. */
    public void start() {
        start(l -> { });
    }

    /** Starts the sampler thread, which first hands the logger to {@code greeting} (start-up messages). */
    public void start(Consumer<Logger> greeting) {
        Thread t = new Thread(() -> {
            try {
                greeting.accept(log());
            } catch (Throwable e) {
                // no logging: keep sampling, the JSON report may still work
            }
            loop();
        }, "threadleak-sampler");
        t.setUncaughtExceptionHandler((thread, e) -> { });
        t.setDaemon(true);
        registry.markOwn(ThreadIds.of(t));
        t.start();
    }

    /** Marks a thread as the agent's own (e.g. its shutdown hook) so it is never tracked. */
    public void markOwn(Thread t) {
        registry.markOwn(ThreadIds.of(t));
    }

    private Logger log() {
        synchronized (lock) {
            if (log == null) {
                log = logFactory.get();
            }
            return log;
        }
    }

    private void loop() {
        long samplePeriod = config.sample().toNanos();
        long intervalPeriod = config.interval().toNanos();
        long nextReport = clock.nanoTime() + intervalPeriod;
        while (!stopped) {
            LockSupport.parkNanos(this, samplePeriod);
            if (stopped) {
                return;
            }
            try {
                tick();
                if (clock.nanoTime() - nextReport >= 0) {
                    nextReport = clock.nanoTime() + intervalPeriod;
                    report(false);
                }
            } catch (Throwable e) {
                // even logging the failure failed: stay alive and quiet rather than disturb the host
                tickFailed = true;
            }
        }
    }

    /** Takes a sample and evaluates the rules. */
    public void tick() {
        synchronized (lock) {
            try {
                Sample sample = sampler.sample();
                List<Suspect> suspects = new ArrayList<>();
                for (Rule rule : rules) {
                    suspects.addAll(rule.evaluate(sample));
                }
                lastSample = sample;
                current = suppressions.apply(suspects);
            } catch (Throwable e) {
                if (!tickFailed) {
                    tickFailed = true;
                    log().warn("sampling failed; threadleak keeps trying but reports may be incomplete", e);
                }
            }
        }
    }

    /** Reports the suspects of the latest sample: log blocks for what changed, and the JSON file. */
    public Report report(boolean last) {
        synchronized (lock) {
            if (lastSample == null) {
                tick();
            }
            Sample s = lastSample;
            if (s == null) {
                return null;
            }
            int tracked = 0;
            for (ThreadRecord r : registry.records()) {
                if (r.site() != null) {
                    tracked++;
                }
            }
            Report.Summary summary = new Report.Summary(s.liveThreads(), tracked,
                    s.liveBySite().size() + s.liveExecutorsBySite().size() + s.liveTimersBySite().size(),
                    registry.endedCount(), hookFailures.getAsLong(), s.liveExecutors(), s.liveTimers(),
                    last ? unclosed(s) : List.of());
            Report report = suppressions.attach(ledger.report(clock.currentTimeMillis(), s.nanos(), last, summary, current));
            Logger log = log();
            log.info(text.summary(report));
            for (String block : text.blocks(report)) {
                log.warn(block);
            }
            for (String line : text.resolved(report)) {
                log.info(line);
            }
            for (String line : text.unclosed(report)) {
                log.info(line);
            }
            writeJson(report);
            for (Consumer<Report> l : listeners) {
                try {
                    l.accept(report);
                } catch (RuntimeException e) {
                    log.warn("report listener failed", e);
                }
            }
            return report;
        }
    }

    /** Executors and timers created by application code and still running: the shutdown summary's list. */
    private static List<Report.Unclosed> unclosed(Sample s) {
        List<Report.Unclosed> out = new ArrayList<>();
        s.liveExecutorsBySite().forEach((site, n) -> {
            if (!site.jdkInternal()) {
                out.add(new Report.Unclosed("executor", site, n));
            }
        });
        s.liveTimersBySite().forEach((site, n) -> {
            if (!site.jdkInternal()) {
                out.add(new Report.Unclosed("timer", site, n));
            }
        });
        out.sort(java.util.Comparator.comparing((Report.Unclosed u) -> -u.count()).thenComparing(u -> u.site().blame()));
        return out;
    }

    private void writeJson(Report report) {
        Path file = config.json();
        if (file == null) {
            return;
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Path tmp = (dir == null ? Path.of(".") : dir).resolve(file.getFileName() + ".tmp");
            Files.writeString(tmp, json.render(report));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            jsonFailed = false;
        } catch (IOException | RuntimeException e) {
            if (!jsonFailed) {
                jsonFailed = true;
                log().warn("cannot write the JSON report to {}: {}", file, e.toString());
            }
        }
    }

    /** Stops sampling and logs the final report. Called once, from the JVM shutdown hook. */
    public Report shutdown() {
        stopped = true;
        try {
            tick();
            return report(true);
        } catch (Throwable e) {
            return null;
        }
    }

    /** How long the sampler sleeps, for callers that need to wait for a round. */
    public long samplePeriodMillis() {
        return TimeUnit.NANOSECONDS.toMillis(config.sample().toNanos());
    }
}
