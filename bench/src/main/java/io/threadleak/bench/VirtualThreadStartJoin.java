package io.threadleak.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Virtual thread life cycle: create a virtual thread, start it, join it (JDK 21+).
 * One operation = one virtual thread started, run to completion on the carrier pool and joined.
 *
 * <p>The module is compiled for Java 17, so {@code Thread.ofVirtual()} is looked up reflectively,
 * once, in {@link #setup()}; the hot path only uses the Java 17 {@link ThreadFactory} interface.
 * On a JDK without virtual threads {@link #setup()} throws {@link UnsupportedOperationException};
 * {@link RatioRunner} does not even schedule this benchmark there and reports it as n/a.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class VirtualThreadStartJoin {

    /** Feature release that made virtual threads final (JEP 444). */
    static final int MIN_FEATURE = 21;

    private ThreadFactory factory;
    private volatile int sink;

    static boolean supported() {
        return Runtime.version().feature() >= MIN_FEATURE;
    }

    /** {@code Thread.ofVirtual().factory()}, without compiling against the JDK 21 API. */
    static ThreadFactory virtualThreadFactory() {
        if (!supported()) {
            throw new UnsupportedOperationException(
                    "virtual threads need JDK " + MIN_FEATURE + "+, this is JDK " + Runtime.version());
        }
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            MethodHandle newBuilder = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual));
            MethodHandle toFactory = lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class));
            return (ThreadFactory) toFactory.invoke(newBuilder.invoke());
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UnsupportedOperationException("virtual threads unavailable on JDK " + Runtime.version(), t);
        }
    }

    @Setup(Level.Trial)
    public void setup() {
        factory = virtualThreadFactory();
    }

    @Benchmark
    public int startJoin() throws InterruptedException {
        Thread t = factory.newThread(() -> sink++);
        t.start();
        t.join();
        return sink;
    }
}
