package io.threadleak.it.fixturelib;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Fixture "library" (outside the application's package): a pool of its own, like the thread pools of web servers
 * (Jetty's, Tomcat's), not a JDK executor. Callers only enqueue; the pool's own threads start further workers
 * through two paths, its manager thread and a worker that finds a backlog after its task, so its threads spread
 * over many creation sites, each started by a thread of the pool. Idle workers wait for work in
 * {@code BlockingQueue.poll} and end after {@code keepAlive} without work: the pool grows with load and shrinks
 * when load drops.
 */
public final class ElasticPool {

    private final String name;
    private final int max;
    private final long keepAliveMillis;
    private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicInteger idle = new AtomicInteger();
    private final AtomicInteger names = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private volatile boolean stopped;
    private Thread manager;

    public ElasticPool(String name, int max, long keepAliveMillis) {
        this.name = name;
        this.max = max;
        this.keepAliveMillis = keepAliveMillis;
    }

    /** Starts the manager thread. */
    public synchronized ElasticPool start() {
        manager = new Thread(this::manage, name + "-manager");
        manager.start();
        return this;
    }

    /** Enqueues a task; never starts a thread on the caller. */
    public void execute(Runnable task) {
        queue.add(task);
    }

    /** Live workers. */
    public int size() {
        return size.get();
    }

    /** The most workers alive at once. */
    public int peak() {
        return peak.get();
    }

    /** Stops the manager, lets the workers drain the queue and end, and waits for them. */
    public void shutdown() throws InterruptedException {
        stopped = true;
        manager.join();
        while (size.get() > 0) {
            Thread.sleep(10);
        }
    }

    private void manage() {
        while (!stopped) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            grow();
        }
    }

    private void grow() {
        if (!stopped && !queue.isEmpty() && idle.get() == 0) {
            int n = size.incrementAndGet();
            if (n > max) {
                size.decrementAndGet();
                return;
            }
            peak.accumulateAndGet(n, Math::max);
            Thread t = new Thread(this::work, name + "-" + names.incrementAndGet());
            t.start();
        }
    }

    private void work() {
        try {
            while (true) {
                idle.incrementAndGet();
                Runnable task;
                try {
                    task = queue.poll(stopped ? 1 : keepAliveMillis, TimeUnit.MILLISECONDS);
                } finally {
                    idle.decrementAndGet();
                }
                if (task == null) {
                    return; // idle for keepAlive: the pool shrinks
                }
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // a library pool survives its tasks' failures
                }
                grow(); // a backlog after this task: the worker starts another worker
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            size.decrementAndGet();
        }
    }
}
