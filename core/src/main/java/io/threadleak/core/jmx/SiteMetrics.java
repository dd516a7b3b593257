package io.threadleak.core.jmx;

import io.threadleak.core.sample.Sample;
import io.threadleak.core.site.CreationSite;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-site counts for metrics scrapers, bounded so that a fleet's metric cardinality cannot explode: the
 * {@code top} sites with the most live things (threads + executors + timers + queued tasks) get a row of their own,
 * every other site is folded into one row {@link #OTHER}, which is always there (zeros when nothing was folded).
 *
 * <p>A row's label is the blame frame as {@code class.method}, without file or line, so it stays the same across
 * builds that move code within a method; sites that blame the same method share one row (their counts add up).
 * Sites without an application or library frame are labelled {@code <jdk>}. Ties are broken by label, so the
 * same sample always folds the same way.
 */
public final class SiteMetrics {

    /** The label of the row that folds every site past the top ones (never a label of its own: it has no dot). */
    public static final String OTHER = "other";
    /** The label of sites created by JDK code alone. */
    public static final String JDK = "<jdk>";

    /** No sample yet: no rows, an empty {@link #OTHER}. */
    public static final Folded EMPTY = new Folded(List.of(), new Row(OTHER, 0, 0, 0, 0), 0);

    private SiteMetrics() {
    }

    /**
     * One row of live counts.
     *
     * @param site      the label ({@code class.method}, {@code <jdk>} or {@link #OTHER})
     * @param threads   live threads started here (pool workers count with their executor)
     * @param executors executors created here, neither shut down nor collected
     * @param timers    timers created here, neither cancelled nor reaped
     * @param queued    tasks waiting in the queues of executors created here
     */
    public record Row(String site, int threads, int executors, int timers, int queued) {

        /** What the rows are ranked by. */
        public long total() {
            return (long) threads + executors + timers + queued;
        }

        Row plus(Row o) {
            return new Row(site, threads + o.threads, executors + o.executors, timers + o.timers, queued + o.queued);
        }
    }

    /**
     * The folded table.
     *
     * @param top    at most {@code top} rows, most live things first
     * @param other  everything else, summed
     * @param folded how many labels were folded into {@code other}
     */
    public record Folded(List<Row> top, Row other, int folded) {

        public Folded {
            top = List.copyOf(top);
        }

        /** The row at {@code rank} (1-based), or {@code null} when fewer sites have live things. */
        public Row rank(int rank) {
            return rank >= 1 && rank <= top.size() ? top.get(rank - 1) : null;
        }
    }

    /** The label of a site: its blame frame as {@code class.method}, or {@link #JDK}. */
    public static String label(CreationSite site) {
        StackTraceElement f = site.blameFrame();
        return f == null ? JDK : f.getClassName() + "." + f.getMethodName();
    }

    /** Folds one sample's per-site counts. */
    public static Folded fold(Sample sample, int top) {
        Map<String, int[]> byLabel = new HashMap<>();
        add(byLabel, sample.liveBySite(), 0);
        add(byLabel, sample.liveExecutorsBySite(), 1);
        add(byLabel, sample.liveTimersBySite(), 2);
        add(byLabel, sample.queuedBySite(), 3);
        List<Row> rows = new ArrayList<>(byLabel.size());
        byLabel.forEach((label, c) -> rows.add(new Row(label, c[0], c[1], c[2], c[3])));
        return fold(rows, top);
    }

    /** Folds rows with distinct labels; rows with nothing live are left out. */
    static Folded fold(List<Row> rows, int top) {
        List<Row> live = new ArrayList<>();
        for (Row r : rows) {
            if (r.total() > 0) {
                live.add(r);
            }
        }
        live.sort(Comparator.comparingLong(Row::total).reversed().thenComparing(Row::site));
        int kept = Math.min(Math.max(top, 0), live.size());
        Row other = EMPTY.other();
        for (Row r : live.subList(kept, live.size())) {
            other = other.plus(r);
        }
        return new Folded(live.subList(0, kept), other, live.size() - kept);
    }

    private static void add(Map<String, int[]> byLabel, Map<CreationSite, Integer> bySite, int k) {
        for (Map.Entry<CreationSite, Integer> e : bySite.entrySet()) {
            byLabel.computeIfAbsent(label(e.getKey()), x -> new int[4])[k] += e.getValue();
        }
    }
}
