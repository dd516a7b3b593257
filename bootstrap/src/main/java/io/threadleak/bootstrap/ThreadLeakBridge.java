package io.threadleak.bootstrap;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The one class that instrumented JDK methods call.
 *
 * <p>This class and {@link ThreadHooks} are written into a temporary jar and appended to the bootstrap
 * class loader's search path by the agent, so that {@code java.lang.Thread} can see them. They must never
 * be loaded by any other class loader and must depend on nothing but the JDK.
 *
 * <p>Every entry point is a no-op until the agent installs its hooks, swallows every failure of the hooks
 * (counting it), and ignores calls made while the same thread is already inside a hook, so that the agent
 * can never recurse into itself.
 */
public final class ThreadLeakBridge {

    private static volatile ThreadHooks hooks;
    private static final AtomicLong FAILURES = new AtomicLong();
    private static final ThreadLocal<int[]> DEPTH = new ThreadLocal<>() {
        @Override
        protected int[] initialValue() {
            return new int[1];
        }
    };

    private ThreadLeakBridge() {
    }

    /** Installs (or, with {@code null}, removes) the hooks. Called once by the agent. */
    public static void install(ThreadHooks newHooks) {
        hooks = newHooks;
    }

    /** Whether hooks are installed. */
    public static boolean installed() {
        return hooks != null;
    }

    /** How many hook calls threw (and were swallowed) so far. */
    public static long failures() {
        return FAILURES.get();
    }

    private static final int STARTING = 0;
    private static final int EXITING = 1;
    private static final int EXECUTOR = 2;
    private static final int WORKER = 3;

    /** Called from {@code Thread.start}. Never throws. */
    public static void threadStarting(Thread thread) {
        call(thread, STARTING);
    }

    /** Called from {@code Thread.exit} and from the end of a virtual thread. Never throws. */
    public static void threadExiting(Thread thread) {
        call(thread, EXITING);
    }

    /** Called as an executor's constructor returns. Never throws. */
    public static void executorCreated(Object executor) {
        call(executor, EXECUTOR);
    }

    /** Called as a pool worker enters its executor's work loop. Never throws. */
    public static void workerRunning(Object executor) {
        call(executor, WORKER);
    }

    private static void call(Object subject, int event) {
        try {
            ThreadHooks h = hooks;
            if (h == null) {
                return;
            }
            int[] depth = DEPTH.get();
            if (depth[0] != 0) {
                return;
            }
            depth[0] = 1;
            try {
                switch (event) {
                    case STARTING:
                        h.threadStarting((Thread) subject);
                        break;
                    case EXITING:
                        h.threadExiting((Thread) subject);
                        break;
                    case EXECUTOR:
                        h.executorCreated(subject);
                        break;
                    default:
                        h.workerRunning(subject);
                }
            } finally {
                depth[0] = 0;
            }
        } catch (Throwable t) {
            FAILURES.incrementAndGet();
        }
    }
}
