package io.threadleak.junit.samples;

import io.threadleak.junit.ThreadLeakCheck;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** Sample: another class of clean tests and one leak, with a nested class, to run concurrently with
 *  {@link ParallelSample}. */
@ThreadLeakCheck(settle = "100ms")
@Execution(ExecutionMode.CONCURRENT)
public class ParallelOtherSample {

    @RepeatedTest(8)
    void clean() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        pool.submit(() -> Samples.briefly(5)).get();
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
    }

    @Nested
    @Execution(ExecutionMode.CONCURRENT)
    class Inner {

        @RepeatedTest(8)
        void clean() throws Exception {
            Thread t = new Thread(() -> Samples.briefly(5), "other-clean");
            t.start();
            t.join();
        }

        @Test
        void leaks() {
            Samples.parked("other-leak").start();
        }
    }
}
