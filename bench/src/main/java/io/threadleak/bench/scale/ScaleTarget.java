package io.threadleak.bench.scale;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The program {@link ScaleRunner} forks, with and without the agent: it creates one scale scenario, waits for
 * the agent to settle, then measures over a window and writes {@code key=value} lines to a result file:
 * the agent sampler's CPU time in the window, the window's bounds in JVM uptime (to pick the safepoints of
 * the window out of {@code -Xlog:safepoint}), the heap in use after full GCs, and scenario timings.
 *
 * <pre>ScaleTarget platform|virtual|churn COUNT SETTLE_SECONDS MEASURE_SECONDS RESULT_FILE</pre>
 */
public final class ScaleTarget {

    private static final List<Thread> PARKED = new ArrayList<>();
    private static volatile boolean stop;

    private ScaleTarget() {
    }

    public static void main(String[] args) throws Exception {
        String scenario = args[0];
        int count = Integer.parseInt(args[1]);
        long settleMillis = Long.parseLong(args[2]) * 1000;
        long measureMillis = Long.parseLong(args[3]) * 1000;
        Path out = Path.of(args[4]);
        List<String> result = new ArrayList<>();
        switch (scenario) {
            case "platform":
                startParked(count, r -> {
                    Thread t = new Thread(r);
                    t.setDaemon(true);
                    return t;
                }, result);
                break;
            case "virtual":
                startParked(count, virtualFactory(), result);
                break;
            case "churn":
                churn(count, settleMillis, result);
                break;
            default:
                throw new IllegalArgumentException("unknown scenario " + scenario);
        }
        if (!scenario.equals("churn")) {
            Thread.sleep(settleMillis);
            long sampler = samplerId();
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long cpu0 = sampler < 0 ? 0 : mx.getThreadCpuTime(sampler);
            long up0 = ManagementFactory.getRuntimeMXBean().getUptime();
            Thread.sleep(measureMillis);
            long up1 = ManagementFactory.getRuntimeMXBean().getUptime();
            long cpu1 = sampler < 0 ? 0 : mx.getThreadCpuTime(sampler);
            // a second window as long: by then the agent has read every parked thread's stack and wait count once
            // (at most 512 stacks a sample), so this one shows what the threads cost while nothing changes
            Thread.sleep(measureMillis);
            long up2 = ManagementFactory.getRuntimeMXBean().getUptime();
            long cpu2 = sampler < 0 ? 0 : mx.getThreadCpuTime(sampler);
            result.add("windowStartMillis=" + up0);
            result.add("firstWindowEndMillis=" + up1);
            result.add("windowEndMillis=" + up2);
            result.add("samplerCpuNanos=" + (cpu1 - cpu0));
            result.add("steadyCpuNanos=" + (cpu2 - cpu1));
            result.add("heapUsed=" + heapAfterGc());
            result.add("stackChunkBytes=" + stackChunkBytes());
        }
        Files.write(out, result);
        stop = true;
        for (Thread t : PARKED) {
            LockSupport.unpark(t);
        }
        System.exit(0);
    }

    /**
     * Starts {@code count} threads that park in application code until the end; records how long starting took.
     * A smaller batch runs first and ends, so that the threads' code is compiled before the measured batch
     * parks: a virtual thread's stack is kept in the heap as it parks, and one parked in interpreted frames takes
     * about twice the space. Without the warm-up, whichever run compiles later (the agent's, whose compiler
     * threads also compile the agent) parks more threads interpreted and looks as if the agent held that heap.
     */
    private static void startParked(int count, ThreadFactory factory, List<String> result) throws InterruptedException {
        Batch warmUp = new Batch(Math.max(1, count / 5));
        warmUp.start(factory, new ArrayList<>());
        warmUp.parked.await();
        warmUp.done = true;
        for (Thread t : warmUp.threads) {
            LockSupport.unpark(t);
        }
        for (Thread t : warmUp.threads) {
            t.join();
        }
        Batch measured = new Batch(count);
        long t0 = System.nanoTime();
        measured.start(factory, PARKED);
        long started = System.nanoTime() - t0;
        measured.parked.await();
        result.add("startNanos=" + started);
    }

    /** Threads that park until {@link #done} (or the end of the run) is set. */
    private static final class Batch {
        final int count;
        final CountDownLatch parked;
        final List<Thread> threads = new ArrayList<>();
        volatile boolean done;

        Batch(int count) {
            this.count = count;
            this.parked = new CountDownLatch(count);
        }

        void start(ThreadFactory factory, List<Thread> keep) {
            Runnable body = () -> {
                parked.countDown();
                while (!done && !stop) {
                    LockSupport.park(ScaleTarget.class);
                }
            };
            for (int i = 0; i < count; i++) {
                Thread t = factory.newThread(body);
                t.start();
                threads.add(t);
                keep.add(t);
            }
        }
    }

    /**
     * Heap after GC before and after running {@code tasks} short tasks through a pool and {@code tasks / 10}
     * short threads (half of them virtual where the JDK has them), with a settle time after each for the
     * agent's sampler to pass.
     */
    private static void churn(int tasks, long settleMillis, List<String> result) throws Exception {
        Thread.sleep(settleMillis);
        long before = heapAfterGc();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> batch = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < tasks; i++) {
            int n = i;
            batch.add(pool.submit(() -> n * 31));
            if (batch.size() == 1000) {
                for (Future<?> f : batch) {
                    f.get();
                }
                batch.clear();
            }
        }
        for (Future<?> f : batch) {
            f.get();
        }
        batch.clear();
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
        int threads = tasks / 10;
        ThreadFactory virtual = supportsVirtual() ? virtualFactory() : null;
        Thread[] wave = new Thread[16];
        for (int i = 0; i < threads; i += wave.length) {
            for (int j = 0; j < wave.length; j++) {
                Runnable r = () -> { };
                wave[j] = virtual != null && (j & 1) == 1 ? virtual.newThread(r) : new Thread(r);
                wave[j].start();
            }
            for (Thread t : wave) {
                t.join();
            }
        }
        result.add("churnNanos=" + (System.nanoTime() - t0));
        Thread.sleep(settleMillis);
        result.add("heapBefore=" + before);
        result.add("heapUsed=" + heapAfterGc());
    }

    static boolean supportsVirtual() {
        return Runtime.version().feature() >= 21;
    }

    /** {@code Thread.ofVirtual().factory()}, looked up reflectively: this module is compiled for Java 17. */
    private static ThreadFactory virtualFactory() {
        try {
            Method ofVirtual = Thread.class.getMethod("ofVirtual");
            Object builder = ofVirtual.invoke(null);
            Method factory = Class.forName("java.lang.Thread$Builder").getMethod("factory");
            return (ThreadFactory) factory.invoke(builder);
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedOperationException("virtual threads need JDK 21+", e);
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /**
     * The bytes of {@code jdk.internal.vm.StackChunk} objects: the stacks of parked virtual threads, which the JVM
     * keeps in the heap. They belong to the application, and their size varies from run to run with what was
     * compiled when each thread parked (the same frames take 475-1,040 B a thread in runs with and without the
     * agent), so the runner takes them out of both runs' heap. Read from the class histogram of live objects.
     */
    private static long stackChunkBytes() throws Exception {
        javax.management.ObjectName name = new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand");
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(name, "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        for (String line : histogram.split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length >= 4 && cols[3].equals("jdk.internal.vm.StackChunk")) {
                return Long.parseLong(cols[2]);
            }
        }
        return 0;
    }

    /** The agent's sampler thread, or -1 without the agent. */
    private static long samplerId() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds(), 0)) {
            if (info != null && info.getThreadName().equals("threadleak-sampler")) {
                return info.getThreadId();
            }
        }
        return -1;
    }
}
