package io.threadleak.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.threadleak.api.ThreadLeakScope;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Extra from the seeds, "a thread started inside an HTTP request handler that outlives the request": a JDK
 * {@code HttpServer} whose handler starts an audit thread per request, which is meant to write the audit record once
 * the response went out.
 *
 * <p>Every request runs in a {@link ThreadLeakScope} (a filter would open it in a real service). The handler forgets
 * to tell the audit thread that the response was sent, so each request leaves a thread waiting forever. The agent
 * reports {@code SCOPE_LEAK} (threads created inside the closed request scope are still alive), blaming
 * {@link #handleRequest}. The fixed twin signals the audit thread in a {@code finally} block and joins it before the
 * request ends.
 */
final class RequestScope implements Scenario {

    private static final long REQUEST_INTERVAL_MS = 100;

    @Override
    public String name() {
        return "request-scope";
    }

    @Override
    public String rule() {
        return "SCOPE_LEAK";
    }

    @Override
    public String blame() {
        return RequestScope.class.getName() + ".handleRequest";
    }

    @Override
    public String description() {
        return "a thread started by an HTTP request handler outlives the request";
    }

    @Override
    public void run(boolean fixed, Duration duration) throws InterruptedException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the demo's HTTP server", e);
        }
        int[] counter = new int[1];
        server.createContext("/orders", exchange -> {
            int requestId = ++counter[0]; // one dispatcher thread: no race
            try (ThreadLeakScope scope = ThreadLeakScope.open("request-" + requestId)) {
                handleRequest(exchange, requestId, fixed);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        try {
            URL url = new URL("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort()
                    + "/orders");
            RequestLoop.run(duration, REQUEST_INTERVAL_MS, requestId -> get(url));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            server.stop(0);
        }
    }

    /** Serves one request, and starts its audit thread. */
    void handleRequest(HttpExchange exchange, int requestId, boolean fixed) throws IOException, InterruptedException {
        CountDownLatch responseSent = new CountDownLatch(1);
        Thread audit = new Thread(() -> {
            try {
                responseSent.await(); // writes the audit record once the response went out
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "order-audit-" + requestId);
        audit.setDaemon(true); // so that the demo's JVM still exits; in a service it would be an ordinary thread
        audit.start();
        try {
            byte[] body = ("order " + requestId + " accepted\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } finally {
            if (fixed) {
                responseSent.countDown(); // FIX: signal in finally, and end the request's threads with the request
                audit.join();
            }
            // BUG (leaky variant): nobody counts down responseSent, so every audit thread waits forever
        }
    }

    private static void get(URL url) {
        try {
            HttpURLConnection c = (HttpURLConnection) url.openConnection();
            c.setRequestProperty("Connection", "close");
            try (InputStream in = c.getInputStream()) {
                in.readAllBytes();
            }
            c.disconnect();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
