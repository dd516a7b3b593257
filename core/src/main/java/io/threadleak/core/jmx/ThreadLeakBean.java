package io.threadleak.core.jmx;

import io.threadleak.core.Config;
import io.threadleak.core.proof.ProofMark;
import io.threadleak.core.report.HtmlRenderer;
import io.threadleak.core.report.JsonRenderer;
import io.threadleak.core.report.Report;
import io.threadleak.core.report.Status;
import io.threadleak.core.report.TextRenderer;
import io.threadleak.core.rules.RuleName;
import io.threadleak.core.rules.Suspect;
import io.threadleak.core.sample.Sample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;

/**
 * The MXBean. Attributes and operations read the monitor's current report (made on demand from the latest sample,
 * without changing what the next logged report says); notifications are sent from the sampler thread. The metrics
 * attributes ({@link #getQueuedTasks()}, {@link #getLiveBySite()} and the {@link ThreadLeakSiteMXBean} ranks) read
 * the latest sample the sampler thread handed over, without a lock: a scrape never waits for a sample.
 */
public final class ThreadLeakBean extends NotificationBroadcasterSupport implements ThreadLeakMXBean {

    /** Notification types. */
    public static final String NEW = "io.threadleak.suspect.new";
    public static final String GROWN = "io.threadleak.suspect.grown";
    public static final String RESOLVED = "io.threadleak.suspect.resolved";

    private final Supplier<Report> current;
    private final String options;
    private final long startedAtMillis;
    private final Consumer<String> proofs;
    private final AtomicLong sequence = new AtomicLong();
    private final int metricSites;
    /** The latest sample, published by the sampler thread; its maps are never changed once made. */
    private volatile Sample latest;
    /** The latest sample folded, kept until the next one so that a scrape of every rank folds once (keyed by the
     *  sample's time: the sample itself is not kept alive past the next one). */
    private volatile FoldedSample folded;

    private record FoldedSample(long sampleNanos, SiteMetrics.Folded table) {
    }

    /**
     * @param current the current report, or {@code null} before the first sample
     */
    public ThreadLeakBean(Supplier<Report> current, String options, long startedAtMillis) {
        this(current, options, startedAtMillis, Config.METRIC_SITES, json -> {
            throw new UnsupportedOperationException("this agent records no proofs");
        });
    }

    /**
     * @param metricSites how many sites get their own row in the metrics ({@link #getLiveBySite()})
     * @param proofs      takes the output of {@code prove --format json} run against this JVM ({@link #recordProof})
     */
    public ThreadLeakBean(Supplier<Report> current, String options, long startedAtMillis, int metricSites,
                          Consumer<String> proofs) {
        super(new MBeanNotificationInfo(new String[] {NEW, GROWN, RESOLVED}, Notification.class.getName(),
                "a suspect is new, grew, or resolved"));
        this.current = current;
        this.options = options;
        this.startedAtMillis = startedAtMillis;
        this.metricSites = metricSites;
        this.proofs = proofs;
    }

    /** The latest sample, for the metrics attributes. Sampler thread. */
    public void sampled(Sample sample) {
        latest = sample;
    }

    /** The latest sample's per-site counts, folded to {@code metricSites} rows and {@code other}. */
    public SiteMetrics.Folded folded() {
        Sample s = latest;
        if (s == null) {
            return SiteMetrics.EMPTY;
        }
        FoldedSample f = folded;
        if (f == null || f.sampleNanos() != s.nanos()) {
            f = new FoldedSample(s.nanos(), SiteMetrics.fold(s, metricSites));
            folded = f;
        }
        return f.table();
    }

    /**
     * The rank beans to register beside this one, by object name: {@code rank=1} to {@code rank=<metricSites>} and
     * {@code rank=other}.
     */
    public Map<String, ThreadLeakSiteMXBean> ranks() {
        Map<String, ThreadLeakSiteMXBean> out = new LinkedHashMap<>();
        for (int rank = 1; rank <= metricSites; rank++) {
            out.put(ThreadLeakSiteMXBean.NAME_PREFIX + rank, new SiteSlot(this::folded, rank));
        }
        out.put(ThreadLeakSiteMXBean.NAME_PREFIX + SiteMetrics.OTHER, new SiteSlot(this::folded, 0));
        return out;
    }

    /** Sends a notification per new, grown and resolved suspect of a logged report. */
    public void reported(Report r) {
        for (Report.Entry e : r.suspects()) {
            if (e.status() == Status.NEW) {
                send(NEW, e, e.suspect().count(), r.epochMillis());
            } else if (e.status() == Status.GROWN) {
                send(GROWN, e, e.suspect().count(), r.epochMillis());
            }
        }
        for (Report.Entry e : r.resolvedNow()) {
            send(RESOLVED, e, e.reportedCount(), r.epochMillis());
        }
    }

    private void send(String type, Report.Entry e, int count, long when) {
        Suspect s = e.suspect();
        Notification n = new Notification(type, ThreadLeakMXBean.NAME, sequence.incrementAndGet(), when,
                s.rule() + ": " + count + " " + s.kind() + (count == 1 ? "" : "s") + " at " + s.blame());
        n.setUserData(s.key());
        sendNotification(n);
    }

    private Report report() {
        Report r = current.get();
        if (r == null) {
            throw new IllegalStateException("threadleak has not taken its first sample yet");
        }
        return r;
    }

    private Report.Summary summary() {
        Report r = current.get();
        return r == null ? new Report.Summary(0, 0, 0, 0, 0) : r.summary();
    }

    @Override
    public String getStartedAt() {
        return Instant.ofEpochMilli(startedAtMillis).toString();
    }

    @Override
    public String getOptions() {
        return options;
    }

    @Override
    public String getSampledAt() {
        Report r = current.get();
        return r == null ? "" : Instant.ofEpochMilli(r.epochMillis()).toString();
    }

    @Override
    public int getLiveThreads() {
        return summary().liveThreads();
    }

    @Override
    public int getTrackedThreads() {
        return summary().trackedThreads();
    }

    @Override
    public int getLiveExecutors() {
        return summary().liveExecutors();
    }

    @Override
    public int getLiveTimers() {
        return summary().liveTimers();
    }

    @Override
    public long getEndedThreads() {
        return summary().endedThreads();
    }

    @Override
    public int getQueuedTasks() {
        Sample s = latest;
        int n = 0;
        if (s != null) {
            for (int c : s.queuedBySite().values()) {
                n += c;
            }
        }
        return n;
    }

    @Override
    public Map<String, SiteCounts> getLiveBySite() {
        Map<String, SiteCounts> out = new LinkedHashMap<>();
        if (latest == null) {
            return out;
        }
        SiteMetrics.Folded f = folded();
        for (SiteMetrics.Row r : f.top()) {
            out.put(r.site(), SiteCounts.of(r));
        }
        out.put(SiteMetrics.OTHER, SiteCounts.of(f.other()));
        return out;
    }

    @Override
    public int getSuspectCount() {
        Report r = current.get();
        return r == null ? 0 : r.suspects().size();
    }

    @Override
    public Map<String, Integer> getSuspectsPerRule() {
        Map<String, Integer> out = new TreeMap<>();
        for (RuleName rule : RuleName.values()) {
            out.put(rule.name(), 0);
        }
        Report r = current.get();
        if (r != null) {
            for (Report.Entry e : r.suspects()) {
                out.merge(e.suspect().rule().name(), 1, Integer::sum);
            }
        }
        return out;
    }

    @Override
    public List<SuspectInfo> getSuspects() {
        List<SuspectInfo> out = new ArrayList<>();
        Report r = current.get();
        if (r != null) {
            for (Report.Entry e : r.suspects()) {
                Suspect s = e.suspect();
                ProofMark proof = r.proof(s);
                out.add(new SuspectInfo(s.rule().name(), s.kind(), e.status().name(), s.count(), s.blame(),
                        s.site() == null ? "" : s.site().id(), (r.nanos() - s.sinceNanos()) / 1_000_000,
                        proof == null ? "" : TextRenderer.verdict(proof)));
            }
        }
        return out;
    }

    @Override
    public String reportText() {
        Report r = report();
        TextRenderer text = new TextRenderer();
        StringBuilder b = new StringBuilder(text.summary(r)).append(System.lineSeparator());
        for (Report.Entry e : r.suspects()) {
            b.append(text.block(e, r.nanos(), r.proof(e.suspect()))).append(System.lineSeparator());
        }
        for (String line : text.unclosed(r)) {
            b.append(line).append(System.lineSeparator());
        }
        return b.toString();
    }

    @Override
    public String reportJson() {
        return new JsonRenderer().render(report());
    }

    @Override
    public String reportHtml() {
        return new HtmlRenderer().render(report());
    }

    @Override
    public void recordProof(String json) {
        if (json == null || json.length() > MAX_PROOF_CHARS) {
            throw new IllegalArgumentException("expected the output of prove --format json, at most "
                    + MAX_PROOF_CHARS + " characters");
        }
        proofs.accept(json);
    }

    /** The longest proof output {@link #recordProof} takes. */
    static final int MAX_PROOF_CHARS = 4 << 20;
}
