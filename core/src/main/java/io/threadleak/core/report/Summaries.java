package io.threadleak.core.report;

import io.threadleak.core.registry.ThreadRecord;
import io.threadleak.core.registry.ThreadRegistry;
import io.threadleak.core.sample.Sample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The counts of a report, from the latest sample and the registry. */
public final class Summaries {

    private Summaries() {
    }

    /**
     * @param last whether this is the final report, which also lists executors and timers never shut down
     */
    public static Report.Summary of(Sample s, ThreadRegistry registry, long hookFailures, boolean last) {
        int tracked = 0;
        for (ThreadRecord r : registry.records()) {
            if (r.site() != null) {
                tracked++;
            }
        }
        return new Report.Summary(s.liveThreads(), tracked,
                s.liveBySite().size() + s.liveExecutorsBySite().size() + s.liveTimersBySite().size(),
                registry.endedCount(), hookFailures, s.liveExecutors(), s.liveTimers(),
                last ? unclosed(s) : List.of());
    }

    /** Executors and timers created by application code and still running: the shutdown summary's list. */
    static List<Report.Unclosed> unclosed(Sample s) {
        List<Report.Unclosed> out = new ArrayList<>();
        s.liveExecutorsBySite().forEach((site, n) -> {
            if (!site.jdkInternal()) {
                out.add(new Report.Unclosed("executor", site, n));
            }
        });
        s.liveTimersBySite().forEach((site, n) -> {
            if (!site.jdkInternal()) {
                out.add(new Report.Unclosed("timer", site, n));
            }
        });
        out.sort(Comparator.comparing((Report.Unclosed u) -> -u.count()).thenComparing(u -> u.site().blame()));
        return out;
    }
}
