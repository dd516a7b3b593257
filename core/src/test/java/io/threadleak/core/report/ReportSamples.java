package io.threadleak.core.report;

import static io.threadleak.core.testutil.Fixtures.f;
import static io.threadleak.core.testutil.Fixtures.threadStart;

import io.threadleak.core.rules.RuleName;
import io.threadleak.core.rules.Suspect;
import io.threadleak.core.sample.FutureView;
import io.threadleak.core.sample.TaskState;
import io.threadleak.core.sample.TaskView;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.sample.WaitTarget;
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

    /** A submit site: {@code com.acme.Batch.submitAll(Batch.java:44)}. */
    final CreationSite submitSite = Fixtures.appSite(table, "Batch", "submitAll", 44);

    /** The task that submitted {@link #task}: cancelled. */
    final TaskView parentTask = new TaskView(new WaitTarget("java.util.concurrent.FutureTask", 0xaa), null,
            TaskState.CANCELLED, null, "\"main\" #1", null, null);

    /** A task submitted from {@link #parentTask}. */
    final TaskView task = new TaskView(new WaitTarget("java.util.concurrent.FutureTask", 0xbb),
            "com.acme.Batch$$Lambda", TaskState.RUNNING, "ThreadPoolExecutor#3", "\"batch-1\" #12", submitSite,
            parentTask);

    /** The future the exemplar of {@link #cancelIgnored} waits for: its task is queued. */
    final FutureView future = new FutureView(new WaitTarget("java.util.concurrent.FutureTask", 0xcc), false,
            FutureView.Producer.QUEUED, "its task is queued in ThreadPoolExecutor#3",
            new TaskView(new WaitTarget("java.util.concurrent.FutureTask", 0xcc), "com.acme.Part", TaskState.QUEUED,
                    "ThreadPoolExecutor#3", null, null, null), submitSite, null);

    final ThreadSnapshot taskRunner = Fixtures.snap(60).name("pool-3-thread-1")
            .stack(Fixtures.latchWait("Batch", "part", 70)).task(task).waitsFor(future).build();

    Suspect cancelIgnored() {
        return new Suspect("CANCEL_IGNORED x", RuleName.CANCEL_IGNORED, "task", null,
                "com.acme.Batch.part(Batch.java:70)", 1, Map.of("WAITING", 1), null, null, NOW - 5_000_000_000L,
                List.of(taskRunner), List.of("1 task runs on although the task that submitted it was cancelled"));
    }
}
