package io.threadleak.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Extra from the seeds, "pool-starvation deadlock": tasks of a fixed pool that submit sub-tasks to the
 * same pool and block waiting for them.
 *
 * <p>The report service renders each report on a pool of {@value #WORKERS} workers; a report task submits
 * the rendering of its chart to the same pool and waits for it with {@code get()}. When
 * {@value #WORKERS} or more reports arrive together, every worker runs a report task that waits for a
 * chart, and the charts sit in the queue behind them: no worker will ever be free to render one. The
 * agent reports {@code STARVED}, blaming {@link #startReportService}, which creates the pool.
 */
final class PoolStarvation implements Scenario {

    private static final int WORKERS = 2;
    private static final int REPORTS = 4;
    private static final long RENDER_MS = 20;

    /** The report service: the pool of report tasks, and the pool their charts are rendered on. */
    static final class ReportService {
        final ExecutorService reports;
        final ExecutorService charts;

        ReportService(ExecutorService reports, ExecutorService charts) {
            this.reports = reports;
            this.charts = charts;
        }
    }

    @Override
    public String name() {
        return "pool-starvation";
    }

    @Override
    public String rule() {
        return "STARVED";
    }

    @Override
    public String blame() {
        return PoolStarvation.class.getName() + ".startReportService";
    }

    @Override
    public String description() {
        return "pool tasks block on sub-tasks queued to the same full fixed pool";
    }

    @Override
    public void run(boolean fixed, Duration duration) throws InterruptedException {
        ReportService service = startReportService(fixed);
        List<Future<String>> reports = new ArrayList<>();
        for (int reportId = 1; reportId <= REPORTS; reportId++) {
            int id = reportId;
            reports.add(service.reports.submit(() -> renderReport(service, id)));
        }
        Thread.sleep(duration.toMillis());
        if (fixed) {
            awaitAll(reports);
            service.reports.shutdown();
            service.charts.shutdown();
            service.reports.awaitTermination(1, TimeUnit.SECONDS);
            service.charts.awaitTermination(1, TimeUnit.SECONDS);
        }
        // Leaky variant: the workers stay blocked forever (daemon threads, so the demo's JVM still exits).
    }

    /** Starts the report service and its pool(s). */
    ReportService startReportService(boolean fixed) {
        ExecutorService reports = Executors.newFixedThreadPool(WORKERS, DaemonThreads.factory("report-worker"));
        if (!fixed) {
            return new ReportService(reports, reports); // BUG: charts go to the pool whose tasks wait for them
        }
        // FIX: sub-tasks get a pool of their own, so a waiting report task can never hold up its chart.
        return new ReportService(reports, Executors.newFixedThreadPool(WORKERS, DaemonThreads.factory("chart-worker")));
    }

    private static String renderReport(ReportService service, int reportId) throws Exception {
        Future<String> chart = service.charts.submit(() -> renderChart(reportId));
        return "report " + reportId + " with " + chart.get(); // blocks until the chart is rendered
    }

    private static String renderChart(int reportId) throws InterruptedException {
        Thread.sleep(RENDER_MS);
        return "chart " + reportId;
    }

    private static void awaitAll(List<Future<String>> reports) throws InterruptedException {
        for (Future<String> report : reports) {
            try {
                report.get(1, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("report failed", e);
            }
        }
    }
}
