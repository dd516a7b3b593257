package io.threadleak.core.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One creation site's counts over time as inline SVG, drawn here rather than by script so the chart shows
 * without JavaScript (and in print). Colours come from CSS classes, so the page's theme applies.
 */
final class SvgChart {

    static final String[] SERIES = {"threads", "executors", "timers", "queued"};

    private static final int W = 640;
    private static final int H = 150;
    private static final int LEFT = 40;
    private static final int RIGHT = 8;
    private static final int TOP = 8;
    private static final int BOTTOM = 20;
    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private SvgChart() {
    }

    static String draw(long[] times, Trends.SiteTrend t) {
        int[][] series = {t.threads(), t.executors(), t.timers(), t.queued()};
        int max = Math.max(2, niceMax(t.peak()));
        StringBuilder b = new StringBuilder(1024);
        b.append("<svg class=\"chart\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\" role=\"img\" aria-label=\"").append(Html.text(label(t))).append("\">");
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        for (int i = 0; i <= 2; i++) {
            double y = TOP + plotH - plotH * i / 2.0;
            b.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(W - RIGHT)
                    .append("\" y1=\"").append(fmt(y)).append("\" y2=\"").append(fmt(y)).append("\"/>");
            b.append("<text class=\"axis\" x=\"").append(LEFT - 6).append("\" y=\"").append(fmt(y + 4))
                    .append("\" text-anchor=\"end\">").append(max * i / 2).append("</text>");
        }
        if (times.length > 0) {
            b.append("<text class=\"axis\" x=\"").append(LEFT).append("\" y=\"").append(H - 4).append("\">")
                    .append(CLOCK.format(Instant.ofEpochMilli(times[0]))).append("</text>");
            b.append("<text class=\"axis\" x=\"").append(W - RIGHT).append("\" y=\"").append(H - 4)
                    .append("\" text-anchor=\"end\">").append(CLOCK.format(Instant.ofEpochMilli(times[times.length - 1])))
                    .append(" UTC</text>");
        }
        long t0 = times.length == 0 ? 0 : times[0];
        long span = times.length < 2 ? 0 : Math.max(1, times[times.length - 1] - t0);
        for (int k = 0; k < series.length; k++) {
            int[] v = series[k];
            if (!any(v)) {
                continue;
            }
            StringBuilder d = new StringBuilder();
            for (int i = 0; i < v.length; i++) {
                double x = span == 0 ? LEFT : LEFT + plotW * (double) (times[i] - t0) / span;
                double y = TOP + plotH - plotH * (double) v[i] / max;
                d.append(i == 0 ? 'M' : 'L').append(fmt(x)).append(',').append(fmt(y));
            }
            if (v.length == 1) {
                // one point: a level line across the plot
                d.append('H').append(W - RIGHT);
            }
            b.append("<path class=\"line ").append(SERIES[k]).append("\" d=\"").append(d).append("\">")
                    .append("<title>").append(SERIES[k]).append(": now ").append(v[v.length - 1]).append("</title></path>");
        }
        return b.append("</svg>").toString();
    }

    static boolean any(int[] v) {
        for (int x : v) {
            if (x != 0) {
                return true;
            }
        }
        return false;
    }

    /** 1, 2, 4, 10, 20, 40...: the axis top at or above {@code peak}, with a whole number halfway. */
    static int niceMax(int peak) {
        int m = 1;
        while (true) {
            for (int f : new int[] {1, 2, 4}) {
                if ((long) m * f >= peak) {
                    return m * f;
                }
            }
            if (m > Integer.MAX_VALUE / 10) {
                return Integer.MAX_VALUE;
            }
            m *= 10;
        }
    }

    private static String label(Trends.SiteTrend t) {
        return "live counts over time at " + t.blame();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
