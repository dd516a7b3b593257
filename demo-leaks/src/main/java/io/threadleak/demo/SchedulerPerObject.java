package io.threadleak.demo;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Pitfall 6, "time.Ticker never stopped", with a {@link ScheduledExecutorService}: a scheduler per
 * object, never shut down.
 *
 * <p>Each backend connection gets a single-thread scheduler of its own that pings the backend every
 * {@value #KEEPALIVE_INTERVAL_MS} ms to keep the connection alive. Closing the connection removes it from
 * the connection table but does not shut the scheduler down: its worker keeps pinging a closed
 * connection, and every connection leaks one scheduler and its thread. The agent reports
 * {@code GROWING} over executors, blaming {@link #openConnection}, which creates the scheduler.
 */
final class SchedulerPerObject implements Scenario {

    private static final long REQUEST_INTERVAL_MS = 100;
    private static final long WORK_MS = 30;
    private static final long KEEPALIVE_INTERVAL_MS = 100;

    /** A backend connection with its own keep-alive scheduler. */
    static final class Connection {
        final int id;
        final ScheduledExecutorService keepAlive;
        volatile long pings;

        Connection(int id, ScheduledExecutorService keepAlive) {
            this.id = id;
            this.keepAlive = keepAlive;
        }

        void ping() {
            pings++; // stands for a ping on the connection
        }
    }

    private final Map<Integer, Connection> connections = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "scheduler-per-object";
    }

    @Override
    public String rule() {
        return "GROWING";
    }

    @Override
    public String blame() {
        return SchedulerPerObject.class.getName() + ".openConnection";
    }

    @Override
    public String description() {
        return "a scheduled executor per connection is never shut down when the connection closes";
    }

    @Override
    public void run(boolean fixed, Duration duration) throws InterruptedException {
        RequestLoop.run(duration, REQUEST_INTERVAL_MS, requestId -> handleRequest(requestId, fixed));
    }

    /** Serves one request over a connection of its own. */
    void handleRequest(int requestId, boolean fixed) throws InterruptedException {
        Connection connection = openConnection(requestId);
        try {
            Thread.sleep(WORK_MS); // talk to the backend
        } finally {
            close(connection, fixed);
        }
    }

    /** Opens a connection and starts its keep-alive pings. */
    Connection openConnection(int id) {
        ScheduledExecutorService keepAlive =
                Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("conn-keepalive-" + id));
        Connection connection = new Connection(id, keepAlive);
        keepAlive.scheduleWithFixedDelay(connection::ping, 0, KEEPALIVE_INTERVAL_MS, TimeUnit.MILLISECONDS);
        connections.put(id, connection);
        return connection;
    }

    private void close(Connection connection, boolean fixed) throws InterruptedException {
        connections.remove(connection.id);
        // BUG (leaky variant): the scheduler is not shut down; its worker pings the closed connection forever.
        if (fixed) {
            connection.keepAlive.shutdownNow(); // FIX: whoever creates a scheduler shuts it down
            connection.keepAlive.awaitTermination(1, TimeUnit.SECONDS);
        }
    }
}
