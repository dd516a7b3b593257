package io.threadleak.demo;

import java.time.Duration;

/**
 * Pitfall 1, "goroutine with no exit path": a worker thread per request whose loop swallows the
 * interrupt and never ends.
 *
 * <p>Each request starts a heartbeat thread that keeps the client's session alive while the request
 * is being served, and interrupts it when the response is sent. The heartbeat loop checks the
 * interrupt flag, but {@code Thread.sleep} clears that flag when it throws, and the catch block
 * swallows the exception: the loop never sees the interrupt and every request leaks one thread.
 * The agent reports {@code GROWING}, blaming {@link #handleRequest}.
 */
final class NoExitPath implements Scenario {

    private static final long REQUEST_INTERVAL_MS = 100;
    private static final long WORK_MS = 50;
    private static final long HEARTBEAT_INTERVAL_MS = 100;

    @Override
    public String name() {
        return "no-exit-path";
    }

    @Override
    public String rule() {
        return "GROWING";
    }

    @Override
    public String blame() {
        return NoExitPath.class.getName() + ".handleRequest";
    }

    @Override
    public String description() {
        return "heartbeat thread per request swallows InterruptedException and never ends";
    }

    @Override
    public void run(boolean fixed, Duration duration) throws InterruptedException {
        RequestLoop.run(duration, REQUEST_INTERVAL_MS, requestId -> handleRequest(requestId, fixed));
    }

    /** Serves one request, with a heartbeat thread keeping the session alive meanwhile. */
    void handleRequest(int requestId, boolean fixed) throws InterruptedException {
        Thread heartbeat = new Thread(fixed ? NoExitPath::heartbeatFixed : NoExitPath::heartbeat,
                "session-heartbeat-req-" + requestId);
        heartbeat.setDaemon(true);
        heartbeat.start();
        try {
            Thread.sleep(WORK_MS); // serve the request
        } finally {
            heartbeat.interrupt(); // the response is sent: stop the heartbeat
            if (fixed) {
                heartbeat.join(); // FIX: and wait until it has really stopped
            }
        }
    }

    private static void heartbeat() {
        while (!Thread.currentThread().isInterrupted()) {
            sendHeartbeat();
            try {
                Thread.sleep(HEARTBEAT_INTERVAL_MS);
            } catch (InterruptedException e) {
                // BUG: the interrupt is swallowed (sleep cleared the flag), so the loop runs forever.
            }
        }
    }

    private static void heartbeatFixed() {
        while (!Thread.currentThread().isInterrupted()) {
            sendHeartbeat();
            try {
                Thread.sleep(HEARTBEAT_INTERVAL_MS);
            } catch (InterruptedException e) {
                // FIX: restore the flag and leave; the interrupt is the request's way of saying "done".
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void sendHeartbeat() {
        // Stands for a small write to the client's connection.
    }
}
