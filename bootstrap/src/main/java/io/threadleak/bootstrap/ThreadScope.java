package io.threadleak.bootstrap;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A scope opened with {@link ScopeBridge#open}: a request, a test. What a thread creates while the scope is open on
 * it (threads, executors, timers, and what those create in turn) belongs to the scope; the agent keeps a reference
 * to it in those things' records and reports what outlives it ({@code SCOPE_LEAK}).
 *
 * <p>Defined in the bootstrap loader with the bridge. It holds plain data only (a name, an id, times), never a
 * thread or an application object, so that a record that outlives the request does not keep the request alive.
 * Class-path code can make one (the constructor is public for the agent's own tests): a scope nobody opened owns
 * nothing.
 */
public final class ThreadScope {

    private static final AtomicLong IDS = new AtomicLong();

    private final String name;
    private final long id;
    private final long openedNanos;
    private volatile long closedNanos;
    private volatile boolean closed;

    public ThreadScope(String name) {
        this.name = name == null ? "scope" : name;
        this.id = IDS.incrementAndGet();
        this.openedNanos = System.nanoTime();
    }

    /** The name it was opened with. */
    public String name() {
        return name;
    }

    /** A number unique in this JVM. */
    public long id() {
        return id;
    }

    /** {@link System#nanoTime()} when it was opened. */
    public long openedNanos() {
        return openedNanos;
    }

    /** Whether it was closed. */
    public boolean closed() {
        return closed;
    }

    /** {@link System#nanoTime()} when it was closed; meaningless while {@link #closed()} is false. */
    public long closedNanos() {
        return closedNanos;
    }

    /** Closes it (once; later calls change nothing). */
    void close() {
        if (!closed) {
            closedNanos = System.nanoTime();
            closed = true;
        }
    }

    @Override
    public String toString() {
        return "scope '" + name + "' #" + id + (closed ? " (closed)" : "");
    }

    /** One entry of a thread's stack of open scopes: the scopes nest per thread. */
    static final class Frame {
        final ThreadScope scope;
        final Frame previous;

        Frame(ThreadScope scope, Frame previous) {
            this.scope = scope;
            this.previous = previous;
        }
    }
}
