package io.threadleak.core.report;

import static io.threadleak.core.testutil.Fixtures.f;
import static io.threadleak.core.testutil.Fixtures.threadStart;

import io.threadleak.core.rules.RuleName;
import io.threadleak.core.rules.Suspect;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.SiteTable;
import io.threadleak.core.site.StackCapture;
import io.threadleak.core.testutil.Fixtures;
import java.util.List;
import java.util.Map;

/** Suspects and reports shared by the renderer tests. */
final class ReportSamples {

    static final long NOW = 1_000_000_000_000L;

    final SiteTable table = Fixtures.table();

    /** {@code com.acme.Orders.startWaiter(Orders.java:21)} via a library frame. */
    final CreationSite site = table.intern(StackCapture.of(new StackTraceElement[] {
        threadStart(),
        f("org.lib.Pool", "grow", 5),
        f("com.acme.Orders", "startWaiter", 21),
        f("com.acme.Web", "handle", 8),
        f("com.acme.Main", "main", 3),
    }), null);

    /** A scheduler worker without an application frame, started by a thread of {@link #site}. */
    final CreationSite child = table.intern(StackCapture.of(new StackTraceElement[] {
        threadStart(),
        f("java.util.concurrent.ThreadPoolExecutor", "addWorker", 945),
        f("org.lib.sched.Scheduler", "tick", 40),
    }), site);

    final ThreadSnapshot exemplar = Fixtures.snap(31).name("order-waiter-1").site(site)
            .waitsOn(Fixtures.latch(0x1b6d3586)).stack(Fixtures.latchWait("Waiter", "run", 14)).build();

    Suspect stuck(int count) {
        return new Suspect("STUCK " + site.id(), RuleName.STUCK, "thread", site, site.blame(), count,
                Map.of("WAITING", count), Fixtures.latch(0x1b6d3586), "\"main\" #1", NOW - 850_000_000L,
                List.of(exemplar), List.of(count + " threads wait without progress"));
    }

    Suspect growingChild(int count) {
        ThreadSnapshot worker = Fixtures.snap(40).name("sched-worker").site(child)
                .stack(f("java.lang.Object", "wait", -2)).build();
        return new Suspect("GROWING " + child.id(), RuleName.GROWING, "thread", child, child.blame(), count,
                Map.of("IDLE", count), null, null, NOW - 2_000_000_000L, List.of(worker),
                List.of("live threads over the last samples: 5 -> 6 -> 7"));
    }

    Suspect unknownSite() {
        ThreadSnapshot t = Fixtures.snap(50).name("legacy").stack(Fixtures.latchWait("Legacy", "await", 99)).build();
        return new Suspect("STUCK at x", RuleName.STUCK, "thread", null, "com.acme.Legacy.await(Legacy.java:99)", 1,
                Map.of("WAITING", 1), null, null, NOW, List.of(t), List.of());
    }

    static Report.Entry entry(Suspect s, Status status, int reportedCount) {
        return new Report.Entry(s, status, reportedCount, status == Status.RESOLVED ? 1_700_000_000_000L : 0);
    }

    static Report report(boolean last, Report.Summary summary, List<Report.Entry> suspects,
                         List<Report.Entry> resolvedNow, List<Report.Entry> resolvedAll) {
        return new Report(1_700_000_000_000L, NOW, last, summary, suspects, resolvedNow, resolvedAll);
    }
}
