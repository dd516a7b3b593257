package io.threadleak.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link ThreadPoolExecutor} submit + run: a fixed pool of {@value TwoWorkerPool#WORKERS} workers (created and
 * started in setup, so thread creation is not measured) is given a batch of {@value #BATCH} trivial
 * tasks via {@code submit}, and the benchmark waits until all of them ran.
 * The score is per task ({@code @OperationsPerInvocation}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ExecutorSubmit extends TwoWorkerPool {

    static final int BATCH = 1000;

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void submitBatch() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(BATCH);
        for (int i = 0; i < BATCH; i++) {
            pool.submit(done::countDown);
        }
        done.await();
    }
}
