package io.threadleak.core;

import io.threadleak.core.jfr.JfrEvents;
import io.threadleak.core.jmx.JmxRegistration;
import io.threadleak.core.jmx.ThreadLeakBean;
import io.threadleak.core.report.HtmlRenderer;
import io.threadleak.core.report.JsonRenderer;
import io.threadleak.core.report.Report;
import io.threadleak.core.report.ReportFile;
import io.threadleak.core.report.ReportLog;
import io.threadleak.core.sample.Sample;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Everywhere a report goes: the log, the JSON and HTML files, JFR events, the MXBean and its notifications, and
 * the listeners. Sampler thread (and the shutdown hook) only; JFR and JMX are set up there, late, never while the
 * application starts. A failing outlet is told once through the log and never stops the others.
 */
final class ReportOutlets {

    private final Config config;
    private final Supplier<Logger> log;
    /** Where the MXBean hands the output of a {@code prove} command run against this JVM. */
    private final Consumer<String> proofs;
    private final ReportLog reportLog = new ReportLog();
    private final ReportFile jsonFile;
    private final ReportFile htmlFile;
    private final List<Consumer<Report>> listeners = new CopyOnWriteArrayList<>();
    /** Made at the first sample after the flight recorder started: nothing of jdk.jfr is loaded before. */
    private JfrEvents jfr;
    /** The options for the MXBean, or null for none; the bean itself is made on the sampler thread. */
    private String jmxOptions;
    private long jmxStartNanos;
    private long jmxStartMillis;
    private ThreadLeakBean bean;
    private JmxRegistration jmx;

    private final Function<Runnable, Thread> ownThread;

    /**
     * @param ownThread makes an agent thread (daemon, never tracked, not started), for work that must not hold up
     *                  the sampler
     * @param proofs    takes the output of {@code prove --format json} handed to the MXBean
     */
    ReportOutlets(Config config, Supplier<Logger> log, Function<Runnable, Thread> ownThread, Consumer<String> proofs) {
        this.ownThread = ownThread;
        this.config = config;
        this.log = log;
        this.proofs = proofs;
        this.jsonFile = new ReportFile(config.json(), "the JSON report", new JsonRenderer()::render);
        this.htmlFile = new ReportFile(config.html(), "the HTML report", new HtmlRenderer()::render);
    }

    void addListener(Consumer<Report> listener) {
        listeners.add(listener);
    }

    /** Asks for the MXBean, registered later by {@link #sampled} (see {@link JmxRegistration}). */
    void publishJmx(String options, long nanos, long millis) {
        jmxOptions = options;
        jmxStartNanos = nanos;
        jmxStartMillis = millis;
    }

    /**
     * After each sample: JFR's per-site counts, the MXBean's metrics, and the MXBean's registration once it is due.
     *
     * @param current the report as it stands, for the MXBean's readers
     */
    void sampled(Sample sample, long nowNanos, Supplier<Report> current) {
        if (jfr == null && JfrEvents.recorderStarted()) {
            jfr = JfrEvents.create(message -> log.get().warn(message));
        }
        if (jfr != null) {
            jfr.sampled(sample);
        }
        if (jmxOptions != null && jmx == null) {
            bean = new ThreadLeakBean(current, jmxOptions, jmxStartMillis, config.metricSites(), proofs);
            long delay = Math.min(config.interval().toNanos(), TimeUnit.SECONDS.toNanos(60));
            jmx = new JmxRegistration(bean, jmxStartNanos, delay, message -> log.get().warn(message), ownThread);
        }
        if (jmx != null) {
            bean.sampled(sample);
            jmx.tick(nowNanos);
        }
    }

    /** A report to every outlet. */
    void reported(Report report) {
        Logger l = log.get();
        reportLog.write(l, report);
        jsonFile.write(report, l::warn);
        htmlFile.write(report, l::warn);
        if (jfr != null) {
            jfr.reported(report);
        }
        if (bean != null) {
            try {
                bean.reported(report);
            } catch (RuntimeException e) {
                l.warn("JMX notification failed", e);
            }
        }
        for (Consumer<Report> listener : listeners) {
            try {
                listener.accept(report);
            } catch (RuntimeException e) {
                l.warn("report listener failed", e);
            }
        }
    }
}
