package io.threadleak.core;

import io.threadleak.core.proof.ProofLauncher;
import io.threadleak.core.proof.ProofLog;
import io.threadleak.core.proof.ProofMarks;
import io.threadleak.core.proof.ProofResult;
import io.threadleak.core.registry.ExecutorRegistry;
import io.threadleak.core.registry.ExecutorTracker;
import io.threadleak.core.registry.ScopeTracker;
import io.threadleak.core.registry.JvmThreads;
import io.threadleak.core.registry.TaskTracker;
import io.threadleak.core.registry.ThreadIds;
import io.threadleak.core.registry.ThreadRegistry;
import io.threadleak.core.registry.ThreadTracker;
import io.threadleak.core.registry.VirtualThreadCensus;
import io.threadleak.core.report.Report;
import io.threadleak.core.report.Summaries;
import io.threadleak.core.report.SuspectLedger;
import io.threadleak.core.report.Trends;
import io.threadleak.core.rules.RuleSet;
import io.threadleak.core.rules.Suspect;
import io.threadleak.core.sample.Sample;
import io.threadleak.core.sample.Sampler;
import io.threadleak.core.sample.TaskFields;
import io.threadleak.core.site.FramePolicy;
import io.threadleak.core.site.SiteTable;
import io.threadleak.core.site.StackCapture;
import io.threadleak.core.suppress.Suppressions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    private final ScopeTracker scopeTracker = new ScopeTracker(registry, executors);
    private final Sampler sampler;
    private final RuleSet rules;
    private final Suppressions suppressions;
    private final SuspectLedger ledger = new SuspectLedger();
    private final Trends trends = new Trends();
    private final ReportOutlets outlets;
    private final ProofMarks proofs = new ProofMarks();
    private volatile ProofLauncher prover;
    private final Object lock = new Object();
    private volatile MonitorThread thread;
    private Sample lastSample;
    private List<Suspect> current = List.of();
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
        this(config, logFactory, clock, main, hookFailures, fields, VirtualThreadCensus.NONE);
    }

    /**
     * @param census what the JDK knows of its virtual threads (the agent's; {@link VirtualThreadCensus#NONE} in
     *               tests): with it, virtual threads need no record as they start
     */
    public ThreadLeakMonitor(Config config, Supplier<Logger> logFactory, Clock clock, Thread main,
                             LongSupplier hookFailures, TaskFields fields, VirtualThreadCensus census) {
        this.config = config;
        this.logFactory = logFactory;
        this.clock = clock;
        this.hookFailures = hookFailures;
        this.policy = new FramePolicy(config.app(), config.exclude());
        SiteTable sites = new SiteTable(policy, MAX_SITES);
        StackCapture capture = config.stacks() == StackMode.NONE ? null : new StackCapture(config.stackDepth());
        this.tracker = new ThreadTracker(registry, sites, capture, clock, census);
        this.executorTracker = new ExecutorTracker(executors, registry, sites, capture, clock);
        this.taskTracker = new TaskTracker(registry, executors, sites, capture, clock);
        // ignoreThreads is a suppression layer (findings stay visible as suppressed), not a sampler exemption
        this.sampler = new Sampler(registry, executors, taskTracker, fields, clock, List.of(), main,
                config.stuckAfter().toNanos());
        this.suppressions = new Suppressions(config, policy, main);
        this.rules = new RuleSet(config, policy);
        this.outlets = new ReportOutlets(config, this::log, this::ownThread, this::recordProof);
    }

    /**
     * The {@code prove=} option: once a {@code STUCK} or {@code DEADLOCK} suspect has held {@code after}, prove it
     * in a separate JVM running {@code agentJar}'s {@code prove} command (see {@link ProofLauncher}). Call before
     * {@link #start}.
     */
    public void enableProof(Duration after, Path agentJar) {
        prover = new ProofLauncher(after, agentJar, clock, registry::markOwn);
    }

    /**
     * Records the output of {@code prove --format json} run against this JVM (by the {@code prove} command, through
     * JMX); the marks appear in the reports after the next sample. Any thread.
     *
     * @throws IllegalArgumentException when {@code json} is not that output
     */
    public void recordProof(String json) {
        proofs.offer(ProofResult.parse(json, "prove command"));
    }

    /** What the agent's hooks call. */
    public ThreadTracker tracker() {
        return tracker;
    }

    /** What the agent's executor and timer hooks call. */
    public ExecutorTracker executorTracker() {
        return executorTracker;
    }

    /** What the agent's scope hooks call. */
    public ScopeTracker scopeTracker() {
        return scopeTracker;
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
        outlets.addListener(listener);
    }

    /**
     * Registers the threads alive now, which the agent did not see starting: JDK and VM threads (never
     * suspects) and, after a dynamic attach, the application's threads ("started before the agent").
     */
    public void registerExisting() {
        long now = clock.nanoTime();
        long millis = clock.currentTimeMillis();
        for (Thread t : JvmThreads.all()) {
            long id = ThreadIds.of(t);
            if (id >= 0 && !registry.isOwn(id)) {
                registry.add(JvmThreads.unseen(t, id, millis, now));
            }
        }
    }

    /** Starts the sampler thread. */
    public void start() {
        start(l -> { });
    }

    /** Starts the sampler thread, which first hands the logger to {@code greeting} (start-up messages). */
    public void start(Consumer<Logger> greeting) {
        MonitorThread loop = new MonitorThread(clock, config, () -> greeting.accept(log()), this::tick,
                () -> report(false));
        Thread t = loop.newThread();
        registry.markOwn(t);
        thread = loop;
        t.start();
    }

    /** A daemon thread of the agent's own (never tracked), not started yet, for work off the sampler thread. */
    private Thread ownThread(Runnable work) {
        Thread t = new Thread(work, "threadleak-jmx");
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((thread, e) -> { });
        registry.markOwn(t);
        return t;
    }

    /** Marks a thread as the agent's own (e.g. its shutdown hook) so it is never tracked. */
    public void markOwn(Thread t) {
        registry.markOwn(t);
    }

    private Logger log() {
        synchronized (lock) {
            if (log == null) {
                log = logFactory.get();
            }
            return log;
        }
    }

    /** Takes a sample and evaluates the rules. */
    public void tick() {
        synchronized (lock) {
            try {
                tracker.recordLiveVirtualThreads();
                Sample sample = sampler.sample();
                current = suppressions.apply(rules.evaluate(sample));
                lastSample = sample;
                proofs();
                trends.add(sample);
                outlets.sampled(sample, clock.nanoTime(), this::current);
            } catch (Throwable e) {
                if (!tickFailed) {
                    tickFailed = true;
                    log().warn("sampling failed; threadleak keeps trying but reports may be incomplete", e);
                }
            }
        }
    }

    /** Sampler thread: picks up proof results, logs what they marked, and starts a proof when one is due. */
    private void proofs() {
        ProofLauncher p = prover;
        if (p != null) {
            ProofLauncher.Outcome o = p.poll();
            if (o != null && o.result() != null) {
                proofs.offer(o.result());
            } else if (o != null) {
                log().warn("prove: no result after " + o.elapsedMillis() + " ms: " + o.failure());
            }
        }
        for (ProofMarks.Picked picked : proofs.update(current, clock.nanoTime(), clock.currentTimeMillis())) {
            List<String> lines = ProofLog.lines(picked);
            log().info(lines.get(0));
            lines.subList(1, lines.size()).forEach(log()::warn);
        }
        if (p != null) {
            String started = p.consider(current, clock.nanoTime());
            if (started != null) {
                log().info(started);
            }
        }
    }

    /** Reports the suspects of the latest sample: log blocks for what changed, the JSON and HTML files. */
    public Report report(boolean last) {
        synchronized (lock) {
            if (lastSample == null) {
                tick();
            }
            Sample s = lastSample;
            if (s == null) {
                return null;
            }
            Report.Summary summary = Summaries.of(s, registry, hookFailures.getAsLong(), last);
            Report report = suppressions.attach(ledger.report(clock.currentTimeMillis(), s.nanos(), last, summary,
                    current)).withTrends(trends.view()).withProofs(proofs.marks());
            outlets.reported(report);
            return report;
        }
    }

    /**
     * The report as it stands now, from the latest sample, for on-demand readers (JMX); it changes nothing of
     * what the next logged report says. {@code null} before the first sample.
     */
    public Report current() {
        synchronized (lock) {
            Sample s = lastSample;
            if (s == null) {
                return null;
            }
            Report.Summary summary = Summaries.of(s, registry, hookFailures.getAsLong(), false);
            return suppressions.attach(ledger.peek(clock.currentTimeMillis(), s.nanos(), summary, current))
                    .withTrends(trends.view()).withProofs(proofs.marks());
        }
    }

    /**
     * Publishes the MXBean {@code io.threadleak:type=ThreadLeak}, registered later on the sampler thread (never
     * here: see {@link JmxRegistration}) once the application made its MBean server, or after one interval.
     *
     * @param options the options in force, as the start-up line says them
     */
    public void publishJmx(String options) {
        synchronized (lock) {
            outlets.publishJmx(options, clock.nanoTime(), clock.currentTimeMillis());
        }
    }

    /** Stops sampling and logs the final report. Called once, from the JVM shutdown hook. */
    public Report shutdown() {
        MonitorThread loop = thread;
        if (loop != null) {
            loop.stop();
        }
        ProofLauncher p = prover;
        if (p != null) {
            p.stop();
        }
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
