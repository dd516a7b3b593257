package io.threadleak.bootstrap;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;

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

    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final String OWN_PACKAGE = "io.threadleak.bootstrap.";

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
                        Thread thread = (Thread) subject;
                        if (!h.isTracked(thread)) {
                            int limit = h.creationStackDepth();
                            h.threadStarting(thread, limit <= 0 ? null : WALKER.walk(new HeadWalk(h, limit)));
                        }
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

    /**
     * Collects the starter's frames below this class, down to the first frame the hooks call blameable.
     * Walking here, right under {@code Thread.start}, keeps the walk short: every frame walked costs a few
     * microseconds when thread creation has just flushed the caches, and the agent's own frames would
     * otherwise come first.
     */
    private static final class HeadWalk
            implements Function<Stream<StackWalker.StackFrame>, List<StackWalker.StackFrame>> {
        private final ThreadHooks hooks;
        private final int limit;

        HeadWalk(ThreadHooks hooks, int limit) {
            this.hooks = hooks;
            this.limit = limit;
        }

        @Override
        public List<StackWalker.StackFrame> apply(Stream<StackWalker.StackFrame> frames) {
            List<StackWalker.StackFrame> out = new ArrayList<>(8);
            Iterator<StackWalker.StackFrame> it = frames.iterator();
            while (it.hasNext() && out.size() < limit) {
                StackWalker.StackFrame f = it.next();
                String cls = f.getClassName();
                if (out.isEmpty() && cls.startsWith(OWN_PACKAGE)) {
                    continue;
                }
                out.add(f);
                if (hooks.endsCreationStack(cls)) {
                    break;
                }
            }
            return out;
        }
    }
}
