package io.threadleak.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Pitfall 7, "context not propagated": a cancelled task does not cancel the sub-tasks it started, so they
 * run on for nobody.
 *
 * <p>An export job runs on the job pool and splits the table into parts, each exported by a sub-task on
 * the part pool; the job waits for its parts. After {@value #CANCEL_AFTER_MS} ms the user cancels the
 * export: {@code cancel(true)} interrupts the job, which stops waiting and returns, but it does not pass
 * the cancellation on. The parts never learn of it and keep exporting rows that nobody will read. The
 * parts do honour an interrupt; nobody sends them one. The user exports (and cancels) two tables, one after
 * the other. The agent reports {@code CANCEL_IGNORED} for the parts, blaming {@link #exportPart}, where they
 * run on. (The agent starts linking sub-tasks to their parent once the program has cancelled a running task:
 * the parts of the second export are the ones it can tell about.)
 */
final class CancelNotPropagated implements Scenario {

    private static final long CANCEL_AFTER_MS = 200;
    private static final int PARTS = 3;
    private static final List<String> TABLES = List.of("orders", "invoices");
    private static final long ROW_MS = 50;
    private static final int ROWS_PER_PART = 100_000; // about 80 minutes a part: longer than any demo run

    @Override
    public String name() {
        return "cancel-not-propagated";
    }

    @Override
    public String rule() {
        return "CANCEL_IGNORED";
    }

    @Override
    public String blame() {
        return CancelNotPropagated.class.getName() + ".exportPart";
    }

    @Override
    public String description() {
        return "a cancelled export job does not cancel its part sub-tasks, which keep running";
    }

    @Override
    public void run(boolean fixed, Duration duration) throws InterruptedException {
        ExecutorService jobs = Executors.newFixedThreadPool(2, DaemonThreads.factory("export-job"));
        ExecutorService parts = Executors.newFixedThreadPool(PARTS * TABLES.size(),
                DaemonThreads.factory("export-part"));
        long end = System.nanoTime() + duration.toNanos();
        try {
            for (String table : TABLES) {
                Future<?> export = jobs.submit(() -> exportTable(table, parts, fixed));
                Thread.sleep(CANCEL_AFTER_MS);
                export.cancel(true); // the user cancels the export
            }
            Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
        } finally {
            // The pools are not the bug: shut down in both variants. In the leaky one the parts still run.
            jobs.shutdown();
            parts.shutdown();
            if (fixed) {
                jobs.awaitTermination(1, TimeUnit.SECONDS);
                parts.awaitTermination(1, TimeUnit.SECONDS);
            }
        }
    }

    /** The export job: exports the table's parts in parallel and waits for them. */
    private static void exportTable(String table, ExecutorService parts, boolean fixed) {
        List<Future<?>> partFutures = new ArrayList<>();
        for (int part = 0; part < PARTS; part++) {
            int partNumber = part;
            partFutures.add(parts.submit(() -> exportPart(table, partNumber)));
        }
        try {
            for (Future<?> partFuture : partFutures) {
                partFuture.get();
            }
        } catch (InterruptedException e) {
            // The job was cancelled.
            if (fixed) {
                cancelAll(partFutures); // FIX: pass the cancellation on to the parts
            }
            // BUG (leaky variant): the job just returns; its parts never hear of the cancellation.
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            cancelAll(partFutures); // one part failed: the export is over
        }
    }

    private static void cancelAll(List<Future<?>> futures) {
        for (Future<?> future : futures) {
            future.cancel(true);
        }
    }

    /** Exports one part of the table, row by row; stops when interrupted. */
    static void exportPart(String table, int part) {
        for (int row = 0; row < ROWS_PER_PART; row++) {
            try {
                Thread.sleep(ROW_MS); // stands for reading a row and writing it to the export file
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // cancelled: the part honours the interrupt (when somebody sends one)
            }
        }
    }
}
