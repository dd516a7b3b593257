package io.threadleak.bench;

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
 * Platform thread life cycle: {@code new Thread(r).start(); join()} of a trivial task.
 * One operation = one thread created, started, run to completion and joined.
 * This is the path the agent instruments most directly (thread creation and start).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ThreadStartJoin {

    /** Written by the started thread, so the task is not empty; read after join. */
    private volatile int sink;

    @Benchmark
    public int startJoin() throws InterruptedException {
        Thread t = new Thread(() -> sink++);
        t.start();
        t.join();
        return sink;
    }
}
