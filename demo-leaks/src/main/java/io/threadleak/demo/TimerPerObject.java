package io.threadleak.demo;

import java.time.Duration;
import java.util.Map;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pitfall 6, "time.Ticker never stopped", with {@link java.util.Timer}: a timer per object, never
 * cancelled.
 *
 * <p>Each client session gets a timer of its own that sends a heartbeat every
 * {@value #HEARTBEAT_INTERVAL_MS} ms. Closing the session removes it from the session table but does not
 * cancel its timer. The heartbeat task references its session, and the session its timer, so the timer
 * stays reachable from its own thread and the JDK cannot reclaim it: every session leaks one
 * {@code Timer} thread, ticking forever. The agent reports {@code GROWING}, blaming {@link #openSession},
 * where {@code new Timer(...)} starts the thread.
 */
final class TimerPerObject implements Scenario {

    private static final long REQUEST_INTERVAL_MS = 100;
    private static final long WORK_MS = 30;
    private static final long HEARTBEAT_INTERVAL_MS = 100;

    /** A client session with its own heartbeat timer. */
    static final class Session {
        final int id;
        final Timer heartbeatTimer;
        volatile long heartbeats;
        volatile Thread heartbeatThread; // the timer's thread, seen by the heartbeat; for the fixed close()

        Session(int id, Timer heartbeatTimer) {
            this.id = id;
            this.heartbeatTimer = heartbeatTimer;
        }
    }

    private final Map<Integer, Session> sessions = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "timer-per-object";
    }

    @Override
    public String rule() {
        return "GROWING";
    }

    @Override
    public String blame() {
        return TimerPerObject.class.getName() + ".openSession";
    }

    @Override
    public String description() {
        return "a java.util.Timer per session is never cancelled when the session closes";
    }

    @Override
    public void run(boolean fixed, Duration duration) throws InterruptedException {
        RequestLoop.run(duration, REQUEST_INTERVAL_MS, requestId -> handleRequest(requestId, fixed));
    }

    /** Serves one request in a session of its own. */
    void handleRequest(int requestId, boolean fixed) throws InterruptedException {
        Session session = openSession(requestId);
        try {
            Thread.sleep(WORK_MS); // serve the request
        } finally {
            close(session, fixed);
        }
    }

    /** Opens a session and starts its heartbeat. */
    Session openSession(int id) {
        Timer timer = new Timer("session-heartbeat-" + id, true); // daemon only so the demo's JVM exits
        Session session = new Session(id, timer);
        timer.scheduleAtFixedRate(heartbeat(session), 0, HEARTBEAT_INTERVAL_MS);
        sessions.put(id, session);
        return session;
    }

    private void close(Session session, boolean fixed) throws InterruptedException {
        sessions.remove(session.id);
        // BUG (leaky variant): the timer is not cancelled; its thread keeps the session's heartbeat going.
        if (fixed) {
            session.heartbeatTimer.cancel(); // FIX: whoever creates a timer cancels it
            Thread timerThread = session.heartbeatThread;
            if (timerThread != null) {
                timerThread.join(1000); // cancel() does not wait; the timer thread ends right after it
            }
        }
    }

    private static TimerTask heartbeat(Session session) {
        return new TimerTask() {
            @Override
            public void run() {
                session.heartbeatThread = Thread.currentThread();
                session.heartbeats++; // stands for a small write to the client's connection
            }
        };
    }
}
