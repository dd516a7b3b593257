package io.threadleak.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Pitfall 4, "nil channel blocks forever": {@code get()} without a timeout on a {@link CompletableFuture}
 * that nobody will ever complete.
 *
 * <p>Each request starts a handler thread that sends a call to a backend and waits for its reply: it
 * registers a new future under the request id in a map of pending replies, and the reply reader completes
 * that future when the reply comes in. The transport loses some messages (here, the replies to odd
 * request ids), and the handler's {@code get()} has no timeout: the handlers of lost replies wait forever,
 * and their futures stay in the map. The agent reports {@code STUCK}, blaming {@link #handleRequest}.
 */
final class NeverCompletedFuture implements Scenario {

    private static final long REQUEST_INTERVAL_MS = 200;
    private static final long BACKEND_MS = 20;
    private static final long REPLY_TIMEOUT_MS = 150;
    private static final int STOP = -1;

    private final Map<Integer, CompletableFuture<String>> pendingReplies = new ConcurrentHashMap<>();
    private final BlockingQueue<Integer> wire = new LinkedBlockingQueue<>();

    @Override
    public String name() {
        return "never-completed-future";
    }

    @Override
    public String rule() {
        return "STUCK";
    }

    @Override
    public String blame() {
        return NeverCompletedFuture.class.getName() + ".handleRequest";
    }

    @Override
    public String description() {
        return "handler get()s without timeout a reply future that is never completed (reply lost)";
    }

    @Override
    public void run(boolean fixed, Duration duration) throws InterruptedException {
        Thread replyReader = startReplyReader();
        List<Thread> handlers = new ArrayList<>();
        try {
            RequestLoop.run(duration, REQUEST_INTERVAL_MS, requestId -> handlers.add(handleRequest(requestId, fixed)));
        } finally {
            wire.put(STOP); // the transport is not the bug: stopped in both variants
            replyReader.join();
        }
        if (fixed) {
            for (Thread handler : handlers) {
                handler.join();
            }
        }
    }

    /** Starts the handler thread of one request. */
    Thread handleRequest(int requestId, boolean fixed) {
        Thread handler = new Thread(fixed ? () -> callBackendFixed(requestId) : () -> callBackend(requestId),
                "request-handler-" + requestId);
        handler.setDaemon(true);
        handler.start();
        return handler;
    }

    private void callBackend(int requestId) {
        CompletableFuture<String> reply = new CompletableFuture<>();
        pendingReplies.put(requestId, reply);
        send(requestId);
        try {
            reply.get(); // BUG: no timeout; a lost reply means waiting forever (and a pending entry forever)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // the backend answered with an error; the request fails
        }
    }

    private void callBackendFixed(int requestId) {
        CompletableFuture<String> reply = new CompletableFuture<>();
        pendingReplies.put(requestId, reply);
        send(requestId);
        try {
            reply.get(REPLY_TIMEOUT_MS, TimeUnit.MILLISECONDS); // FIX: a reply may be lost; bound the wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the request fails (a real client would retry or answer 504)
        } finally {
            pendingReplies.remove(requestId); // FIX: and forget the pending reply either way
        }
    }

    private void send(int requestId) {
        wire.add(requestId);
    }

    /** The transport's reply side: answers each call after a while, but loses the replies to odd ids. */
    private Thread startReplyReader() {
        Thread reader = new Thread(this::readReplies, "backend-reply-reader");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    private void readReplies() {
        try {
            for (int requestId = wire.take(); requestId != STOP; requestId = wire.take()) {
                Thread.sleep(BACKEND_MS);
                if (requestId % 2 == 1) {
                    continue; // DEMO ONLY: the lossy transport drops this reply
                }
                CompletableFuture<String> reply = pendingReplies.get(requestId);
                if (reply != null) {
                    reply.complete("reply to request " + requestId);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
