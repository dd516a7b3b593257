package io.threadleak.demo;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Extra from the seeds, "a worker pool started per request and never stopped": an executor created for each
 * request and never shut down.
 *
 * <p>Each request renders its report pages on a small pool of its own, waits for the result and returns,
 * forgetting {@code shutdown()}. The pool's workers sit idle, waiting for work that never comes, and keep
 * their pool alive: every request leaks an executor and its threads. Idle workers are not a leak by
 * themselves; executors piling up from one line are. The agent reports {@code GROWING} over executors,
 * blaming {@link #handleRequest}.
 */
final class ExecutorPerRequest implements Scenario {

    private static final long REQUEST_INTERVAL_MS = 100;

    @Override
    public String name() {
        return "executor-per-request";
    }

    @Override
    public String rule() {
        return "GROWING";
    }

    @Override
    public String blame() {
        return ExecutorPerRequest.class.getName() + ".handleRequest";
    }

    @Override
    public String description() {
        return "a thread pool created per request is never shut down";
    }

    @Override
    public void run(boolean fixed, Duration duration) throws InterruptedException {
        RequestLoop.run(duration, REQUEST_INTERVAL_MS, requestId -> handleRequest(requestId, fixed));
    }

    /** Renders one report on a pool of its own. */
    void handleRequest(int requestId, boolean fixed) throws InterruptedException {
        ExecutorService renderers = Executors.newFixedThreadPool(2, daemon("report-render-" + requestId));
        try {
            Future<String> page = renderers.submit(() -> "page of report " + requestId);
            page.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            if (fixed) {
                renderers.shutdown(); // FIX: a pool you create, you shut down (or share one pool)
                renderers.awaitTermination(1, TimeUnit.SECONDS);
            }
            // BUG (leaky variant): no shutdown(): the idle workers keep the pool alive forever
        }
    }

    /** Daemon workers, so that the demo's JVM still exits; in a service they would be ordinary threads. */
    private static ThreadFactory daemon(String prefix) {
        return task -> {
            Thread t = new Thread(task, prefix);
            t.setDaemon(true);
            return t;
        };
    }
}
