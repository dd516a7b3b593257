package io.threadleak.core.report;

import java.util.Locale;

/** Human-readable durations for reports: {@code 850ms}, {@code 12.3s}, {@code 2m05s}, {@code 3h07m}. */
public final class Durations {

    private Durations() {
    }

    public static String format(long nanos) {
        long ms = Math.max(0, nanos / 1_000_000);
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
