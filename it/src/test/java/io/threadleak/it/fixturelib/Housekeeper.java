package io.threadleak.it.fixturelib;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Fixture "library" (stands for a library shaded into the application jar, so it shares the application's class
 * loader and code source): a housekeeper with one background thread that starts a helper thread for every
 * resource it is asked to watch. The helpers never end. Their creation stacks hold only housekeeper frames, so
 * the blame must go up the chain to the application code that started the housekeeper thread.
 */
public final class Housekeeper {

    private final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private Thread thread;

    /** Starts the housekeeper thread. */
    public synchronized Housekeeper start() {
        thread = new Thread(this::loop, "housekeeper");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Asks the housekeeper to watch {@code resource}; a helper thread gets started for it. */
    public void watch(String resource) {
        requests.add(resource);
    }

    private void loop() {
        try {
            while (true) {
                startHelper(requests.take());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void startHelper(String resource) {
        Thread helper = new Thread(this::helperLoop, "housekeeper-helper-" + resource);
        helper.setDaemon(true);
        helper.start();
    }

    private void helperLoop() {
        try {
            closed.await(); // nobody ever closes the housekeeper
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
