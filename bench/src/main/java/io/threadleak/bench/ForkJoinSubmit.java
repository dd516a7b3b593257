package io.threadleak.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link ForkJoinPool} external submit + run: a dedicated {@code new ForkJoinPool(2)} is given a
 * batch of {@value #BATCH} trivial {@code Runnable}s via {@code submit}, and the benchmark waits
 * until all of them ran. The score is per task ({@code @OperationsPerInvocation}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ForkJoinSubmit {

    static final int PARALLELISM = 2;
    static final int BATCH = 1000;

    private ForkJoinPool pool;

    @Setup(Level.Trial)
    public void setup() {
        pool = new ForkJoinPool(PARALLELISM);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        TwoWorkerPool.shutdown(pool);
    }

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
