package io.threadleak.core.report;

import io.threadleak.core.sample.Sample;
import io.threadleak.core.site.CreationSite;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The live threads, executors, timers and queued tasks of each creation site over the run, for charts.
 * Bounded whatever the run's length: one point per sample until {@link #MAX_POINTS}, then pairs of points are
 * merged (each keeps the larger count, so a peak never disappears) and a point covers twice as many samples;
 * at most {@link #MAX_SITES} sites get their own series, later sites are folded into one "other sites" series.
 * Fed and read on the sampler thread only.
 */
public final class Trends {

    /** Points kept per series. */
    public static final int MAX_POINTS = 512;
    /** Sites with a series of their own. */
    public static final int MAX_SITES = 48;
    /** The id of the series that folds the sites past {@link #MAX_SITES}. */
    public static final String OTHER = "other";

    /** Folded site ids remembered, to count them (the site table itself is bounded too). */
    private static final int FOLDED_IDS = 4096;

    private final int maxPoints;
    private final int maxSites;
    private final long[] times;
    private final Map<String, Series> series = new LinkedHashMap<>();
    private Series other;
    private int size;
    /** Samples per point. */
    private int stride = 1;
    /** Samples merged into the point being filled (the last one) so far. */
    private int filled;

    public Trends() {
        this(MAX_POINTS, MAX_SITES);
    }

    Trends(int maxPoints, int maxSites) {
        if (maxPoints < 2 || maxPoints % 2 != 0) {
            throw new IllegalArgumentException("maxPoints must be even and at least 2: " + maxPoints);
        }
        this.maxPoints = maxPoints;
        this.maxSites = maxSites;
        this.times = new long[maxPoints];
    }

    /** Adds one sample's counts. */
    public void add(Sample s) {
        boolean fresh = size == 0 || filled == stride;
        if (fresh) {
            if (size == maxPoints) {
                halve();
            }
            size++;
            filled = 0;
        }
        filled++;
        int at = size - 1;
        times[at] = s.epochMillis();
        Map<Series, int[]> now = new LinkedHashMap<>();
        count(now, s.liveBySite(), 0);
        count(now, s.liveExecutorsBySite(), 1);
        count(now, s.liveTimersBySite(), 2);
        count(now, s.queuedBySite(), 3);
        for (Map.Entry<Series, int[]> e : now.entrySet()) {
            Series x = e.getKey();
            for (int k = 0; k < 4; k++) {
                // a point covering several samples keeps the largest count: peaks stay visible
                x.counts[k][at] = fresh ? e.getValue()[k] : Math.max(x.counts[k][at], e.getValue()[k]);
            }
        }
        if (fresh) {
            for (Series x : all()) {
                if (!now.containsKey(x)) {
                    for (int k = 0; k < 4; k++) {
                        x.counts[k][at] = 0;
                    }
                }
            }
        }
    }

    private void count(Map<Series, int[]> now, Map<CreationSite, Integer> bySite, int k) {
        for (Map.Entry<CreationSite, Integer> e : bySite.entrySet()) {
            Series x = series(e.getKey());
            now.computeIfAbsent(x, y -> new int[4])[k] += e.getValue();
        }
    }

    private Series series(CreationSite site) {
        Series x = series.get(site.id());
        if (x != null) {
            return x;
        }
        if (series.size() < maxSites) {
            x = new Series(site.id(), site.blame(), site.jdkInternal(), maxPoints);
            series.put(site.id(), x);
            return x;
        }
        if (other == null) {
            other = new Series(OTHER, "(other sites)", false, maxPoints);
        }
        if (other.folded.size() < FOLDED_IDS) {
            other.folded.add(site.id());
        }
        return other;
    }

    private List<Series> all() {
        List<Series> out = new ArrayList<>(series.values());
        if (other != null) {
            out.add(other);
        }
        return out;
    }

    /** Merges neighbouring points: half the resolution, room for as many points again. */
    private void halve() {
        int half = size / 2;
        for (int i = 0; i < half; i++) {
            times[i] = times[2 * i + 1];
        }
        for (Series x : all()) {
            for (int[] c : x.counts) {
                for (int i = 0; i < half; i++) {
                    c[i] = Math.max(c[2 * i], c[2 * i + 1]);
                }
            }
        }
        size = half;
        stride *= 2;
    }

    /** An immutable copy, sites with the highest peak first (the "other sites" series last). */
    public View view() {
        List<SiteTrend> out = new ArrayList<>();
        for (Series x : series.values()) {
            out.add(x.copy(size));
        }
        out.sort(Comparator.comparingInt(SiteTrend::peak).reversed().thenComparing(SiteTrend::blame));
        int folded = 0;
        if (other != null) {
            out.add(other.copy(size));
            folded = other.folded.size();
        }
        return new View(stride, Arrays.copyOf(times, size), out, folded);
    }

    /**
     * The trends at one moment.
     *
     * @param samplesPerPoint how many samples each point covers (it holds their largest counts)
     * @param times           each point's wall-clock time (of its latest sample), oldest first
     * @param sites           one series per creation site
     * @param foldedSites     how many sites were folded into the {@link #OTHER} series
     */
    public record View(int samplesPerPoint, long[] times, List<SiteTrend> sites, int foldedSites) {

        /** No data yet. */
        public static final View EMPTY = new View(1, new long[0], List.of(), 0);

        public View {
            sites = List.copyOf(sites);
        }
    }

    /**
     * One site's counts, one value per point of {@link View#times()}.
     *
     * @param site the site's id ({@link #OTHER} for folded sites)
     * @param jdk  whether the site is inside the JDK (no application frame)
     */
    public record SiteTrend(String site, String blame, boolean jdk, int[] threads, int[] executors, int[] timers,
                            int[] queued) {

        /** The largest value of any of the four series. */
        public int peak() {
            int p = 0;
            for (int[] c : List.of(threads, executors, timers, queued)) {
                for (int v : c) {
                    p = Math.max(p, v);
                }
            }
            return p;
        }
    }

    private static final class Series {
        final String id;
        final String blame;
        final boolean jdk;
        final int[][] counts;
        final Set<String> folded = new HashSet<>();

        Series(String id, String blame, boolean jdk, int points) {
            this.id = id;
            this.blame = blame;
            this.jdk = jdk;
            this.counts = new int[4][points];
        }

        SiteTrend copy(int size) {
            return new SiteTrend(id, blame, jdk, Arrays.copyOf(counts[0], size), Arrays.copyOf(counts[1], size),
                    Arrays.copyOf(counts[2], size), Arrays.copyOf(counts[3], size));
        }
    }
}
