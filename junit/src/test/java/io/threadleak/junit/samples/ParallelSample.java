package io.threadleak.junit.samples;

import io.threadleak.junit.ThreadLeakCheck;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** Sample: many clean tests and one leaking test, run concurrently. */
@ThreadLeakCheck(settle = "100ms")
@Execution(ExecutionMode.CONCURRENT)
public class ParallelSample {

    @RepeatedTest(24)
    void clean() throws Exception {
        Thread t = new Thread(() -> Samples.briefly(5), "parallel-clean");
        t.start();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        pool.submit(() -> Samples.briefly(5)).get();
        CompletableFuture.runAsync(() -> Samples.briefly(1)).get();
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
        t.join();
    }

    @Test
    void leaks() {
        Thread t = Samples.parked("parallel-leak");
        Samples.line = Samples.here(); t.start();
    }
}
