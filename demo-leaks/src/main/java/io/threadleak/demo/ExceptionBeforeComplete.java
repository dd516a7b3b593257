package io.threadleak.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Pitfall 3, "close of a closed channel / panic": an exception thrown before {@code countDown()}, which is
 * not in a {@code finally}, so the thread waiting for it hangs.
 *
 * <p>An import coordinator thread starts a loader thread that parses the import's records, and waits on a
 * latch that the loader counts down when it is done. A malformed record makes the parser throw: the
 * exception ends the loader before its {@code countDown()}, and the coordinator waits forever. The
 * exception itself is not the bug (bad input happens, and the loader's uncaught-exception handler reports
 * it); the {@code countDown()} that it skips is. The agent reports {@code STUCK} for the coordinator,
 * blaming {@link #startImport}, which started it.
 */
final class ExceptionBeforeComplete implements Scenario {

    private static final long PARSE_MS_PER_RECORD = 10;

    /** One import: its records, what the loader made of them, and the latch the coordinator waits on. */
    static final class Import {
        final int id;
        final List<String> records;
        final CountDownLatch loaded = new CountDownLatch(1);
        volatile List<Integer> customerIds; // stays null when the loader failed

        Import(int id, List<String> records) {
            this.id = id;
            this.records = records;
        }
    }

    @Override
    public String name() {
        return "exception-before-complete";
    }

    @Override
    public String rule() {
        return "STUCK";
    }

    @Override
    public String blame() {
        return ExceptionBeforeComplete.class.getName() + ".startImport";
    }

    @Override
    public String description() {
        return "loader throws on a bad record before countDown(), coordinator awaits the latch forever";
    }

    @Override
    public void run(boolean fixed, Duration duration) throws InterruptedException {
        Thread coordinator = startImport(new Import(1, List.of("customer=1", "customer=2", "customer=x")), fixed);
        if (fixed) {
            coordinator.join();
        }
        Thread.sleep(duration.toMillis());
    }

    /** Starts the coordinator of one import. */
    Thread startImport(Import job, boolean fixed) {
        Thread coordinator = new Thread(() -> coordinate(job, fixed), "import-coordinator-" + job.id);
        coordinator.setDaemon(true);
        coordinator.start();
        return coordinator;
    }

    private static void coordinate(Import job, boolean fixed) {
        Thread loader = new Thread(fixed ? () -> loadFixed(job) : () -> load(job), "import-loader-" + job.id);
        loader.setDaemon(true);
        loader.setUncaughtExceptionHandler(ExceptionBeforeComplete::reportLoaderFailure);
        loader.start();
        try {
            job.loaded.await(); // waits forever when the loader died before its countDown()
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (job.customerIds != null) {
            commit(job.customerIds);
        }
        // else: the loader failed and reported it; nothing to commit, the import is dropped
    }

    private static void load(Import job) {
        job.customerIds = parse(job.records); // throws on a malformed record...
        job.loaded.countDown(); // BUG: ...and then this countDown() never happens
    }

    private static void loadFixed(Import job) {
        try {
            job.customerIds = parse(job.records);
        } finally {
            job.loaded.countDown(); // FIX: counted down on every path, exceptions included
        }
    }

    private static List<Integer> parse(List<String> records) {
        List<Integer> customerIds = new ArrayList<>();
        for (String record : records) {
            sleep(PARSE_MS_PER_RECORD);
            customerIds.add(Integer.parseInt(record.substring(record.indexOf('=') + 1)));
        }
        return customerIds;
    }

    private static void commit(List<Integer> customerIds) {
        // Stands for writing the imported customers to the database.
    }

    /** One short line instead of a stack trace: the failure is expected, the hang after it is the bug. */
    private static void reportLoaderFailure(Thread loader, Throwable failure) {
        System.out.println(loader.getName() + " failed: " + failure);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
