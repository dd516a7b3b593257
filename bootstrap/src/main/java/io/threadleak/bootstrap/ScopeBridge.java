package io.threadleak.bootstrap;

/**
 * What the public scope API ({@code io.threadleak.api.ThreadLeakScope}) calls, by method handles, when the agent is
 * loaded. Defined in the bootstrap loader with {@link ThreadLeakBridge}, under the same rules: every method is a no-op
 * until the agent installs its hooks, never throws, and cannot recurse into the agent.
 *
 * <p>Safe for class-path code by design: opening, entering and closing a scope only adds attribution to what the
 * calling thread creates from then on; {@link #leftovers} answers plain data (strings, stack frames, flags) and the
 * live threads that the scope's own code created, which the caller could see through
 * {@link Thread#getAllStackTraces()} anyway. Nothing here switches the agent off or reads JDK internals.
 *
 * <p>Scopes nest per thread: {@link #open} and {@link #enter} push, {@link #exit} and {@link #close} restore what
 * was current before. A JUnit fork-join worker that runs another test while it waits in a join therefore opens and
 * closes that test's scope inside its own, and attribution stays right.
 */
public final class ScopeBridge {

    private ScopeBridge() {
    }

    /**
     * Opens a scope on the current thread.
     *
     * @return the scope (a {@link ThreadScope}), or {@code null} when the agent is not installed
     */
    public static Object open(String name) {
        if (!ThreadLeakBridge.installed()) {
            return null;
        }
        try {
            ThreadScope scope = new ThreadScope(name);
            push(scope);
            return scope;
        } catch (Throwable t) {
            return null;
        }
    }

    /**
     * Makes an open scope current on this thread too (a test's scope on the thread that runs the test), until
     * {@link #exit}; returns whether it did.
     */
    public static boolean enter(Object scope) {
        if (!(scope instanceof ThreadScope) || !ThreadLeakBridge.installed() || ((ThreadScope) scope).closed()) {
            return false;
        }
        try {
            push((ThreadScope) scope);
            return true;
        } catch (Throwable t) {
            return false;
        }
    }

    /** Undoes this thread's latest {@link #enter} or {@link #open} of the scope (and whatever was opened on this
     *  thread after it and not closed); returns whether the scope was current on this thread. */
    public static boolean exit(Object scope) {
        if (!(scope instanceof ThreadScope) || !ThreadLeakBridge.installed()) {
            return false;
        }
        try {
            ThreadSlot slot = ThreadLeakBridge.slot();
            for (ThreadScope.Frame f = slot.scopes; f != null; f = f.previous) {
                if (f.scope == scope) {
                    slot.scopes = f.previous;
                    return true;
                }
            }
            return false;
        } catch (Throwable t) {
            return false;
        }
    }

    /** Closes the scope: it is no longer current on this thread, and what it created from now on outlives it. */
    public static void close(Object scope) {
        if (scope instanceof ThreadScope) {
            exit(scope);
            ((ThreadScope) scope).close();
        }
    }

    /**
     * What the scope created that is still alive: one row per thread, executor or timer, each an {@code Object[]} of
     * {@code String kind, String name, String state, String blame, StackTraceElement[] creationStack,
     * StackTraceElement[] currentStack, Thread[] threads, Boolean settling} ({@code settling}: it may still end on
     * its own, so waiting for its threads is worth it: a thread, a shut-down executor). {@code null} when the agent
     * is not installed or the call came from inside a hook.
     */
    public static Object[] leftovers(Object scope) {
        if (!(scope instanceof ThreadScope)) {
            return null;
        }
        return ThreadLeakBridge.scopeLeftovers((ThreadScope) scope);
    }

    /** The innermost scope current on this thread (for the agent's executor and timer hooks), or {@code null}. */
    public static Object current() {
        if (!ThreadLeakBridge.installed()) {
            return null;
        }
        try {
            ThreadScope.Frame f = ThreadLeakBridge.slot().scopes;
            return f == null ? null : f.scope;
        } catch (Throwable t) {
            return null;
        }
    }

    private static void push(ThreadScope scope) {
        ThreadSlot slot = ThreadLeakBridge.slot();
        slot.scopes = new ThreadScope.Frame(scope, slot.scopes);
        ThreadLeakBridge.scopesUsed = true;
    }
}
