package io.threadleak.core.jmx;

import java.util.List;
import java.util.Map;

/**
 * The agent seen from JMX, as {@code io.threadleak:type=ThreadLeak}: counts, suspects (open types, readable by
 * any JMX client without the agent's classes), the options in force, and the current report on demand. It
 * also sends a notification for each new, grown or resolved suspect (types {@code io.threadleak.suspect.new},
 * {@code .grown}, {@code .resolved}). See {@code docs/jmx.md}; for metrics scrapers {@code docs/metrics.md}.
 */
public interface ThreadLeakMXBean {

    /** The object name. */
    String NAME = "io.threadleak:type=ThreadLeak";

    /** When the agent started, ISO-8601 UTC. */
    String getStartedAt();

    /** The options in force, as the agent's start-up line says them. */
    String getOptions();

    /** When the latest sample was taken, ISO-8601 UTC, or empty before the first. */
    String getSampledAt();

    int getLiveThreads();

    int getTrackedThreads();

    int getLiveExecutors();

    int getLiveTimers();

    long getEndedThreads();

    /** Tasks waiting in the queues of live executors. */
    int getQueuedTasks();

    int getSuspectCount();

    /** Suspects that hold now, per rule: every rule is a key ({@code GROWING} to 2, {@code STUCK} to 0...). */
    Map<String, Integer> getSuspectsPerRule();

    /**
     * Live counts per creation site for metrics, bounded: the {@code metricSites} sites with the most live threads,
     * executors, timers and queued tasks, keyed by their blame frame as {@code class.method}, and the key
     * {@code other} for all the rest (see {@link SiteMetrics}). Empty before the first sample.
     */
    Map<String, SiteCounts> getLiveBySite();

    /** The suspects that hold now. */
    List<SuspectInfo> getSuspects();

    /** The current report as the log writes it (every suspect in full). */
    String reportText();

    /** The current report as the {@code json=} file holds it. */
    String reportJson();

    /** The current report as the {@code html=} page. */
    String reportHtml();

    /**
     * Records the output of {@code prove <pid> --format json} run against this JVM, so that the reports mark its
     * {@code STUCK} and {@code DEADLOCK} suspects as proven or not (after the next sample). The {@code prove}
     * command calls it when the agent runs in its target. See {@code docs/proven.md}.
     *
     * @param json the command's JSON output
     */
    void recordProof(String json);
}
