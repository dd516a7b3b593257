package io.threadleak.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link CompletableFuture} async chain on a dedicated executor (a fixed {@link ThreadPoolExecutor}
 * of 2 workers, started in setup): {@code supplyAsync(.., pool).thenApplyAsync(.., pool)
 * .thenAcceptAsync(.., pool).join()}. One operation = one whole chain, i.e. three async hand-offs
 * and a join; it is latency-bound, not a batch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CompletableFutureChain extends TwoWorkerPool {

    private int seed;
    /** Written by the last stage on a pool worker; a Blackhole must stay on the benchmark thread. */
    private volatile int sink;

    @Benchmark
    public int chain() {
        int s = seed++;
        CompletableFuture.supplyAsync(() -> s, pool)
                .thenApplyAsync(x -> x * 31 + 7, pool)
                .thenAcceptAsync(x -> sink = x, pool)
                .join();
        return sink;
    }
}
