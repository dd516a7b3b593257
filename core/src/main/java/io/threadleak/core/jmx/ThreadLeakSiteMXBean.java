package io.threadleak.core.jmx;

/**
 * One rank of the per-site metrics, as {@code io.threadleak:type=ThreadLeakSite,rank=<1..metricSites|other>}: the
 * site with that many live things (see {@link SiteMetrics}) and its counts. These beans exist for scrapers that take
 * a metric's labels from a bean's attributes rather than from a table's rows (OpenTelemetry's JMX metrics); their
 * number is fixed at start ({@code metricSites} + 1), whatever the application does. A rank without a site has an
 * empty {@code Site} and zero counts.
 */
public interface ThreadLeakSiteMXBean {

    /** The object names' prefix; the rank follows. */
    String NAME_PREFIX = "io.threadleak:type=ThreadLeakSite,rank=";

    /** The site's label ({@code class.method}, {@code <jdk>}, or {@code other}), empty when the rank is vacant. */
    String getSite();

    int getThreads();

    int getExecutors();

    int getTimers();

    int getQueuedTasks();
}
