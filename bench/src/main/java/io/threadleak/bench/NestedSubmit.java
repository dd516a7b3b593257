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
 * Tasks that submit tasks: each of a batch of {@value #BATCH} parent tasks {@code submit}ted to a
 * {@link ThreadPoolExecutor} of {@value TwoWorkerPool#WORKERS} pre-started workers submits one child task to the same pool
 * (without waiting for it), and the benchmark waits until every child ran. Once the agent follows tasks (after
 * the program's first cancellation of a running task, or with {@code stacks=all}), a nested submission is the
 * one it remembers (the child of its parent), so this is the worst case of the task hooks. The score is per
 * parent+child pair.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class NestedSubmit extends TwoWorkerPool {

    static final int BATCH = 1000;

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void submitNestedBatch() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(BATCH);
        for (int i = 0; i < BATCH; i++) {
            pool.submit(() -> pool.submit(done::countDown));
        }
        done.await();
    }
}
