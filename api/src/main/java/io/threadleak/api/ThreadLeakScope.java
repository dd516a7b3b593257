package io.threadleak.api;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/**
 * A scope of work (a request, a test) whose leftovers the threadleak agent reports:
 * <pre>{@code
 * try (ThreadLeakScope scope = ThreadLeakScope.open("request-42")) {
 *     handle(request);
 * }
 * }</pre>
 * With the agent loaded, every thread, executor and timer created while the scope is open on the current thread (and
 * whatever those create in turn) belongs to the scope; what is still alive a linger time after the scope closed
 * ({@code scopeLinger}, default 1 s) is a {@code SCOPE_LEAK} suspect in the agent's reports, blamed on the first
 * application frame of its creation stack. {@link #leftovers()} tells the same at any time, as plain data.
 *
 * <p>Without the agent every scope is one shared object that does nothing: {@link #open} costs a field read.
 * Scopes nest per thread; close them in the reverse order of opening, on the thread that opened them (a
 * try-with-resources block does both).
 *
 * <p>This class binds to the agent's bridge ({@code io.threadleak.bootstrap.ScopeBridge} in the bootstrap class
 * loader) by method handles, once, the first time a scope is opened; it has no compile-time dependency on the agent.
 */
public final class ThreadLeakScope implements AutoCloseable {

    private static final ThreadLeakScope NONE = new ThreadLeakScope("none", null);

    private final String name;
    /** The bridge's scope, or {@code null} without the agent. */
    private final Object handle;

    private ThreadLeakScope(String name, Object handle) {
        this.name = name;
        this.handle = handle;
    }

    /**
     * Opens a scope on the current thread. Without the agent, returns a shared scope that does nothing.
     *
     * @param name what reports call the scope (a request id, a test name)
     */
    public static ThreadLeakScope open(String name) {
        Bridge b = Bridge.BOUND;
        if (b == null) {
            return NONE;
        }
        Object h = b.open(name);
        return h == null ? NONE : new ThreadLeakScope(name, h);
    }

    /** Whether the agent is loaded, so that scopes are followed. */
    public static boolean agentLoaded() {
        Bridge b = Bridge.BOUND;
        return b != null && b.installed();
    }

    /** The name given to {@link #open}; {@code "none"} for the scope that does nothing. */
    public String name() {
        return name;
    }

    /** Whether the agent follows this scope (false without the agent). */
    public boolean followed() {
        return handle != null;
    }

    /**
     * Makes this scope current on the calling thread too, until the returned handle is closed: what the thread
     * creates meanwhile belongs to this scope (a per-class test scope on the threads that run its tests).
     */
    public Attachment attach() {
        Bridge b = Bridge.BOUND;
        if (handle == null || b == null || !b.enter(handle)) {
            return Attachment.NONE;
        }
        return new Attachment(b, handle);
    }

    /**
     * What this scope created that is still alive now, one entry per thread, executor or timer; empty without the
     * agent.
     */
    public List<Leftover> leftovers() {
        Bridge b = Bridge.BOUND;
        if (handle == null || b == null) {
            return List.of();
        }
        Object[] rows = b.leftovers(handle);
        if (rows == null) {
            return List.of();
        }
        List<Leftover> out = new ArrayList<>(rows.length);
        for (Object row : rows) {
            Leftover l = Leftover.of(row);
            if (l != null) {
                out.add(l);
            }
        }
        return List.copyOf(out);
    }

    /** Closes the scope: it stops being current on this thread, and what it created from now on outlives it. */
    @Override
    public void close() {
        Bridge b = Bridge.BOUND;
        if (handle != null && b != null) {
            b.close(handle);
        }
    }

    @Override
    public String toString() {
        return "ThreadLeakScope[" + name + (handle == null ? ", not followed" : "") + "]";
    }

    /** A scope made current on a thread by {@link #attach()}; closing it makes the previous one current again. */
    public static final class Attachment implements AutoCloseable {
        static final Attachment NONE = new Attachment(null, null);
        private final Bridge bridge;
        private final Object handle;

        Attachment(Bridge bridge, Object handle) {
            this.bridge = bridge;
            this.handle = handle;
        }

        @Override
        public void close() {
            if (bridge != null) {
                bridge.exit(handle);
            }
        }
    }

    /** The method handles of the agent's {@code ScopeBridge}, bound once; {@code BOUND} is null without the agent. */
    static final class Bridge {
        static final Bridge BOUND = bind();

        private final MethodHandle open;
        private final MethodHandle enter;
        private final MethodHandle exit;
        private final MethodHandle close;
        private final MethodHandle leftovers;
        private final MethodHandle installed;

        private Bridge(Class<?> c, Class<?> main) throws ReflectiveOperationException {
            MethodHandles.Lookup l = MethodHandles.publicLookup();
            open = l.findStatic(c, "open", MethodType.methodType(Object.class, String.class));
            enter = l.findStatic(c, "enter", MethodType.methodType(boolean.class, Object.class));
            exit = l.findStatic(c, "exit", MethodType.methodType(boolean.class, Object.class));
            close = l.findStatic(c, "close", MethodType.methodType(void.class, Object.class));
            leftovers = l.findStatic(c, "leftovers", MethodType.methodType(Object[].class, Object.class));
            installed = l.findStatic(main, "installed", MethodType.methodType(boolean.class));
        }

        private static Bridge bind() {
            try {
                // the bootstrap loader only: a class of that name on the class path is not the agent's
                Class<?> c = Class.forName("io.threadleak.bootstrap.ScopeBridge", false, null);
                Class<?> main = Class.forName("io.threadleak.bootstrap.ThreadLeakBridge", false, null);
                return new Bridge(c, main);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        }

        Object open(String name) {
            try {
                return (Object) open.invokeExact(name);
            } catch (Throwable t) {
                return null;
            }
        }

        boolean enter(Object h) {
            try {
                return (boolean) enter.invokeExact(h);
            } catch (Throwable t) {
                return false;
            }
        }

        void exit(Object h) {
            try {
                boolean ignored = (boolean) exit.invokeExact(h);
            } catch (Throwable t) {
                // the bridge never throws; nothing to do
            }
        }

        void close(Object h) {
            try {
                close.invokeExact(h);
            } catch (Throwable t) {
                // as above
            }
        }

        Object[] leftovers(Object h) {
            try {
                return (Object[]) leftovers.invokeExact(h);
            } catch (Throwable t) {
                return null;
            }
        }

        boolean installed() {
            try {
                return (boolean) installed.invokeExact();
            } catch (Throwable t) {
                return false;
            }
        }
    }
}
