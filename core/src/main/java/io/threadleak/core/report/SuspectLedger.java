package io.threadleak.core.report;

import io.threadleak.core.rules.Suspect;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers what was reported, so that each report says only what changed: new, grown and resolved
 * suspects; an unchanged suspect is not repeated in full.
 */
public final class SuspectLedger {

    private static final int MAX_RESOLVED = 100;

    private Map<String, Report.Entry> reported = new HashMap<>();
    private final ArrayDeque<Report.Entry> resolvedAll = new ArrayDeque<>();

    /** Builds the report for the suspects that hold now and remembers it as reported. */
    public Report report(long epochMillis, long nanos, boolean last, Report.Summary summary, List<Suspect> current) {
        return build(epochMillis, nanos, last, summary, current, true);
    }

    /**
     * Builds the report for the suspects that hold now without remembering it: a report on demand (JMX, the
     * {@code report} command) does not change what the next logged report says.
     */
    public Report peek(long epochMillis, long nanos, Report.Summary summary, List<Suspect> current) {
        return build(epochMillis, nanos, false, summary, current, false);
    }

    private Report build(long epochMillis, long nanos, boolean last, Report.Summary summary, List<Suspect> current,
                         boolean remember) {
        Map<String, Report.Entry> next = new LinkedHashMap<>();
        List<Report.Entry> entries = new ArrayList<>();
        for (Suspect s : current) {
            Report.Entry before = reported.get(s.key());
            Status status;
            int reportedCount;
            if (before == null) {
                status = Status.NEW;
                reportedCount = s.count();
            } else if (s.count() > before.reportedCount()) {
                status = Status.GROWN;
                reportedCount = s.count();
            } else {
                status = Status.ONGOING;
                reportedCount = before.reportedCount();
            }
            int previous = before == null ? 0 : before.reportedCount();
            entries.add(new Report.Entry(s, status, previous, 0));
            next.put(s.key(), new Report.Entry(s, status, reportedCount, 0));
        }
        List<Report.Entry> resolvedNow = new ArrayList<>();
        ArrayDeque<Report.Entry> resolved = remember ? resolvedAll : new ArrayDeque<>(resolvedAll);
        for (Map.Entry<String, Report.Entry> e : reported.entrySet()) {
            if (!next.containsKey(e.getKey())) {
                Report.Entry gone = new Report.Entry(e.getValue().suspect(), Status.RESOLVED,
                        e.getValue().reportedCount(), epochMillis);
                resolvedNow.add(gone);
                resolved.addLast(gone);
                if (resolved.size() > MAX_RESOLVED) {
                    resolved.removeFirst();
                }
            }
        }
        if (remember) {
            reported = next;
        }
        return new Report(epochMillis, nanos, last, summary, entries, resolvedNow, List.copyOf(resolved));
    }
}
