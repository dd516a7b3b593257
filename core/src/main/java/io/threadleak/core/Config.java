package io.threadleak.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The settings the core runs with. Parsed from agent options by the agent; built directly in tests.
 *
 * @param interval       how often a report is logged
 * @param sample         how often threads are sampled and the rules evaluated
 * @param stuckAfter     how long a thread must wait on the same object, unchanged, to be {@code STUCK}
 * @param growthSamples  how many consecutive rising samples make a site {@code GROWING}
 * @param growthFloor    the live count a site must exceed to be {@code GROWING}
 * @param exitAfter      how long after {@code main} returned live non-daemon threads are {@code EXIT_BLOCKED}
 * @param json           where to write the JSON report, or {@code null}
 * @param app            application package prefixes; empty means "anything not JDK, agent or excluded"
 * @param exclude        library package prefixes that are never blamed
 * @param ignoreThreads  thread name patterns that are never suspects
 * @param stacks         how creation stacks are captured
 * @param stackDepth     how many frames of a creation stack are kept
 * @param exemplars      how many example threads a suspect carries
 * @param cancelAfter    how long a task may run on after it (or its parent) was cancelled before it is
 *                       {@code CANCEL_IGNORED}
 * @param suppress       the user's suppression rules file, or {@code null}
 * @param html           where to write the HTML report, or {@code null}
 * @param metricSites    how many creation sites get series of their own in the metrics (JMX); the others are
 *                       folded into one {@code other}
 * @param scopeLinger    how long threads created in a scope may outlive it before they are {@code SCOPE_LEAK}
 */
public record Config(
        Duration interval,
        Duration sample,
        Duration stuckAfter,
        int growthSamples,
        int growthFloor,
        Duration exitAfter,
        Path json,
        List<String> app,
        List<String> exclude,
        List<Pattern> ignoreThreads,
        StackMode stacks,
        int stackDepth,
        int exemplars,
        Duration cancelAfter,
        Path suppress,
        Path html,
        int metricSites,
        Duration scopeLinger) {

    /** The default of {@code scopeLinger}. */
    public static final Duration SCOPE_LINGER = Duration.ofSeconds(1);

    /** The default of {@code cancelAfter}. */
    public static final Duration CANCEL_AFTER = Duration.ofSeconds(30);
    /** The default of {@code metricSites}. */
    public static final int METRIC_SITES = 10;

    /** Settings with the default {@code metricSites} and {@code scopeLinger}. */
    public Config(Duration interval, Duration sample, Duration stuckAfter, int growthSamples, int growthFloor,
                  Duration exitAfter, Path json, List<String> app, List<String> exclude, List<Pattern> ignoreThreads,
                  StackMode stacks, int stackDepth, int exemplars, Duration cancelAfter, Path suppress, Path html) {
        this(interval, sample, stuckAfter, growthSamples, growthFloor, exitAfter, json, app, exclude, ignoreThreads,
                stacks, stackDepth, exemplars, cancelAfter, suppress, html, METRIC_SITES, SCOPE_LINGER);
    }

    /** Settings without an HTML report. */
    public Config(Duration interval, Duration sample, Duration stuckAfter, int growthSamples, int growthFloor,
                  Duration exitAfter, Path json, List<String> app, List<String> exclude, List<Pattern> ignoreThreads,
                  StackMode stacks, int stackDepth, int exemplars, Duration cancelAfter, Path suppress) {
        this(interval, sample, stuckAfter, growthSamples, growthFloor, exitAfter, json, app, exclude, ignoreThreads,
                stacks, stackDepth, exemplars, cancelAfter, suppress, null);
    }

    /** Settings without a suppression file. */
    public Config(Duration interval, Duration sample, Duration stuckAfter, int growthSamples, int growthFloor,
                  Duration exitAfter, Path json, List<String> app, List<String> exclude, List<Pattern> ignoreThreads,
                  StackMode stacks, int stackDepth, int exemplars, Duration cancelAfter) {
        this(interval, sample, stuckAfter, growthSamples, growthFloor, exitAfter, json, app, exclude, ignoreThreads,
                stacks, stackDepth, exemplars, cancelAfter, (Path) null);
    }

    /** Settings with the default {@code cancelAfter}. */
    public Config(Duration interval, Duration sample, Duration stuckAfter, int growthSamples, int growthFloor,
                  Duration exitAfter, Path json, List<String> app, List<String> exclude, List<Pattern> ignoreThreads,
                  StackMode stacks, int stackDepth, int exemplars) {
        this(interval, sample, stuckAfter, growthSamples, growthFloor, exitAfter, json, app, exclude, ignoreThreads,
                stacks, stackDepth, exemplars, CANCEL_AFTER);
    }

    public Config {
        app = List.copyOf(app);
        exclude = List.copyOf(exclude);
        ignoreThreads = List.copyOf(ignoreThreads);
    }

    /** The defaults of spec §6. */
    public static Config defaults() {
        return new Config(Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(60), 3, 4,
                Duration.ofSeconds(10), null, List.of(), List.of(), List.of(), StackMode.THREADS, 32, 3);
    }

    public Config withApp(List<String> newApp) {
        return new Config(interval, sample, stuckAfter, growthSamples, growthFloor, exitAfter, json, newApp,
                exclude, ignoreThreads, stacks, stackDepth, exemplars, cancelAfter, suppress, html, metricSites, scopeLinger);
    }

    public Config withSuppress(Path file) {
        return new Config(interval, sample, stuckAfter, growthSamples, growthFloor, exitAfter, json, app,
                exclude, ignoreThreads, stacks, stackDepth, exemplars, cancelAfter, file, html, metricSites, scopeLinger);
    }

    public Config withScopeLinger(Duration linger) {
        return new Config(interval, sample, stuckAfter, growthSamples, growthFloor, exitAfter, json, app,
                exclude, ignoreThreads, stacks, stackDepth, exemplars, cancelAfter, suppress, html, metricSites, linger);
    }

    public Config withHtml(Path file) {
        return new Config(interval, sample, stuckAfter, growthSamples, growthFloor, exitAfter, json, app,
                exclude, ignoreThreads, stacks, stackDepth, exemplars, cancelAfter, suppress, file, metricSites, scopeLinger);
    }
}
