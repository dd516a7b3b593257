package io.threadleak.junit.samples;

import io.threadleak.junit.ThreadLeakCheck;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sample: tests that leak, tests that do not, and tests whose leftovers end within the settle time. */
@ThreadLeakCheck(settle = "50ms")
public class LeakingSample {

    private Thread stoppedInAfterEach;

    @Test
    void leaksAThread() {
        Thread t = Samples.parked("sample-leak");
        Samples.line = Samples.here(); t.start();
    }

    @Test
    void clean() throws Exception {
        Thread t = new Thread(() -> { }, "sample-clean");
        t.start();
        t.join();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        pool.submit(() -> { }).get();
        pool.shutdown();
        pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
    }

    @Test
    @org.junit.jupiter.api.Timeout(60) // JUnit starts its timeout watcher (a pool shared by all tests) in this test
    void withATimeout() throws Exception {
        clean();
    }

    @Test
    void stoppedByAfterEach() {
        stoppedInAfterEach = Samples.parked("sample-stopped-by-after-each");
        stoppedInAfterEach.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (stoppedInAfterEach != null) {
            stoppedInAfterEach.interrupt();
            stoppedInAfterEach.join();
        }
    }

    @Test
    @ThreadLeakCheck(settle = "30s")
    void threadEndsWithinSettle() {
        new Thread(() -> Samples.briefly(50), "sample-ends-soon").start();
    }

    @Test
    @ThreadLeakCheck(settle = "30s")
    void executorShutDownStillTerminating() {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        pool.submit(() -> Samples.briefly(50));
        pool.shutdown();
    }

    @Test
    void executorNeverShutDown() throws Exception {
        Samples.line = Samples.here(); ExecutorService pool = Samples.track(Executors.newFixedThreadPool(1));
        pool.submit(() -> { }).get();
    }

    @Test
    void timerNeverCancelled() {
        Samples.line = Samples.here(); Timer timer = Samples.track(new Timer("sample-timer", true));
        timer.schedule(new TimerTask() {
            @Override
            public void run() {
            }
        }, 60_000);
    }

    @Test
    void threadOfAThreadLeaks() throws Exception {
        Thread outer = new Thread(() -> {
            Thread inner = Samples.parked("sample-grandchild");
            inner.start();
        }, "sample-child");
        outer.start();
        outer.join();
    }
}
