package io.threadleak.core.jfr;

import io.threadleak.core.report.Report;
import io.threadleak.core.report.Status;
import io.threadleak.core.rules.Suspect;
import io.threadleak.core.sample.Sample;
import io.threadleak.core.site.CreationSite;
import java.util.HashMap;
import java.util.Map;

/** Commits the events. Loaded only by {@link JfrEvents#create} when {@code jdk.jfr} is there. */
final class JfrEmitter implements JfrEvents {

    /** Sites with an event of their own per sample: the others are not recorded (the JSON's trends fold them). */
    private static final int MAX_SITES = 256;

    @Override
    public void sampled(Sample s) {
        if (!new SiteCountsEvent().isEnabled()) {
            return; // no recording asks for it: nothing to build
        }
        Map<CreationSite, int[]> bySite = new HashMap<>();
        add(bySite, s.liveBySite(), 0);
        add(bySite, s.liveExecutorsBySite(), 1);
        add(bySite, s.liveTimersBySite(), 2);
        add(bySite, s.queuedBySite(), 3);
        int n = 0;
        for (Map.Entry<CreationSite, int[]> e : bySite.entrySet()) {
            if (n++ == MAX_SITES) {
                break;
            }
            SiteCountsEvent event = new SiteCountsEvent();
            if (event.shouldCommit()) {
                event.site = e.getKey().id();
                event.blame = e.getKey().blame();
                event.threads = e.getValue()[0];
                event.executors = e.getValue()[1];
                event.timers = e.getValue()[2];
                event.queued = e.getValue()[3];
                event.commit();
            }
        }
    }

    private static void add(Map<CreationSite, int[]> bySite, Map<CreationSite, Integer> counts, int k) {
        counts.forEach((site, c) -> bySite.computeIfAbsent(site, x -> new int[4])[k] += c);
    }

    @Override
    public void reported(Report r) {
        if (!new SuspectEvent().isEnabled()) {
            return;
        }
        for (Report.Entry e : r.suspects()) {
            if (e.status() == Status.NEW || e.status() == Status.GROWN) {
                commit(e.status(), e.suspect(), e.suspect().count(), e.reportedCount());
            }
        }
        for (Report.Entry e : r.resolvedNow()) {
            commit(Status.RESOLVED, e.suspect(), e.reportedCount(), e.reportedCount());
        }
    }

    private static void commit(Status change, Suspect s, int count, int previous) {
        SuspectEvent event = new SuspectEvent();
        if (event.shouldCommit()) {
            event.change = change.name();
            event.rule = s.rule().name();
            event.kind = s.kind();
            event.site = s.site() == null ? null : s.site().id();
            event.blame = s.blame();
            event.count = count;
            event.previousCount = previous;
            event.commit();
        }
    }
}
