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
    /** Whether every task submission is recorded with its stack ({@code stacks=all}), not only nested ones. */
    private static volatile boolean allTasks;
    /**
     * Whether the task hooks record anything: the task each thread runs, and the submissions made inside it (its
     * children). Off until the program first cancels a running task (or with {@code stacks=all}): until then a
     * task costs one volatile read per hook. Measured: one hook per task, always on, cost
     * {@code ThreadPoolExecutor} submit+run 0.86-0.97x, over the 0.95 budget.
     */
    private static volatile boolean taskTracking;
    private static final AtomicLong FAILURES = new AtomicLong();
    private static final ThreadLocal<ThreadSlot> SLOTS = new ThreadLocal<>() {
        @Override
        protected ThreadSlot initialValue() {
            return new ThreadSlot();
        }
    };

    private ThreadLeakBridge() {
    }

    /** Installs (or, with {@code null}, removes) the hooks. Called once by the agent. */
    public static void install(ThreadHooks newHooks) {
        allTasks = newHooks != null && newHooks.tasksWithStacks();
        taskTracking = allTasks;
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
    private static final int SLOT = 4;
    private static final int TIMER = 5;
    private static final int CANCELLED = 6;

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

    /**
     * Called as a task is handed to an executor ({@code ThreadPoolExecutor.execute},
     * {@code ScheduledThreadPoolExecutor.delayedExecute}). The hot path: until task tracking is on it returns
     * at once; then it reads one thread-local and, when the submitting thread runs a task itself (a nested
     * submission), remembers the child in the thread's slot with one store; only with {@code stacks=all} does
     * it call the agent. Never throws.
     */
    public static void taskSubmitted(Object executor, Object task) {
        if (!taskTracking) {
            return;
        }
        ThreadHooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            ThreadSlot slot = SLOTS.get();
            Object parent = slot.getPlain(ThreadSlot.TASK);
            if (parent != null) {
                slot.child(task);
            }
            if (!allTasks || slot.depth != 0) {
                return;
            }
            slot.depth = 1;
            try {
                h.taskSubmitted(executor, task, parent, allTasks ? walk(h) : null);
            } finally {
                slot.depth = 0;
            }
        } catch (Throwable t) {
            FAILURES.incrementAndGet();
        }
    }

    /**
     * Called as {@code FutureTask.run}/{@code runAndReset} starts: the thread now runs {@code task}, and the
     * children of its previous task are forgotten. There is no hook as the task ends (one hook per task is
     * what the budget allows): the agent tells a finished task from the thread's stack and drops it from the slot
     * at its next sample. Does nothing until task tracking is on (see {@link #taskTracking}). Never throws.
     */
    public static void taskRunning(Object task) {
        if (taskTracking) {
            mark(ThreadSlot.TASK, task);
        }
    }

    /**
     * Called as {@code FutureTask.cancel} starts, with the thread running the task (or {@code null}): takes the
     * children that thread submitted so far, before the interrupt lets the task end and forget them. Never
     * throws.
     */
    public static void taskCancelling(Object task, Thread runner) {
        ThreadHooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            ThreadSlot slot = SLOTS.get();
            if (slot.depth != 0) {
                return;
            }
            if (runner != null) {
                taskTracking = true; // this program cancels running tasks: from now on, tasks are worth following
            }
            slot.depth = 1;
            try {
                slot.cancelling = task;
                slot.cancellingRunner = runner;
                slot.cancellingChildren = runner == null ? null : h.childrenOf(runner);
            } finally {
                slot.depth = 0;
            }
        } catch (Throwable t) {
            FAILURES.incrementAndGet();
        }
    }

    /** Called as {@code FutureTask.cancel} returns, with what it returns. Never throws. */
    public static void taskCancelled(boolean cancelled, Object task) {
        if (hooks == null) {
            return;
        }
        try {
            ThreadSlot slot = SLOTS.get();
            boolean mine = slot.cancelling == task;
            Object children = mine ? slot.cancellingChildren : null;
            Thread runner = mine ? slot.cancellingRunner : null;
            slot.cancelling = null;
            slot.cancellingChildren = null;
            slot.cancellingRunner = null;
            if (cancelled) {
                call(task, runner, children, CANCELLED);
            }
        } catch (Throwable t) {
            FAILURES.incrementAndGet();
        }
    }

    /** Called as a thread starts blocking on a future ({@code FutureTask.awaitDone},
     *  {@code CompletableFuture.waitingGet}/{@code timedGet}). Never throws. */
    public static void futureWaiting(Object future) {
        mark(ThreadSlot.FUTURE, future);
    }

    /** Called as that wait returns normally. Never throws. */
    public static void futureWaitDone(Object future) {
        unmark(ThreadSlot.FUTURE, future);
    }

    /** Called as a {@code java.util.Timer} constructor returns, with the timer's thread. Never throws. */
    public static void timerCreated(Object timer, Thread timerThread) {
        call(timer, timerThread, null, TIMER);
    }

    /** Writes the slot element (a new task also forgets the previous task's children); hands the slot to the
     *  agent on its first use. */
    private static void mark(int index, Object value) {
        if (hooks == null) {
            return;
        }
        try {
            ThreadSlot slot = SLOTS.get();
            slot.setRelease(index, value);
            if (index == ThreadSlot.TASK) {
                slot.clearChildren();
            }
            if (!slot.announced) {
                slot.announced = true;
                call(slot, SLOT);
            }
        } catch (Throwable t) {
            FAILURES.incrementAndGet();
        }
    }

    private static void unmark(int index, Object value) {
        if (hooks == null) {
            return;
        }
        try {
            ThreadSlot slot = SLOTS.get();
            if (slot.getPlain(index) == value) {
                slot.setRelease(index, null);
            }
        } catch (Throwable t) {
            FAILURES.incrementAndGet();
        }
    }

    private static List<StackWalker.StackFrame> walk(ThreadHooks h) {
        int limit = h.creationStackDepth();
        return limit <= 0 ? null : WALKER.walk(new HeadWalk(h, limit));
    }

    private static void call(Object subject, int event) {
        call(subject, null, null, event);
    }

    /** Calls the hooks for an event, unless this thread is already inside a hook; swallows every failure. */
    private static void call(Object subject, Object second, Object third, int event) {
        try {
            ThreadHooks h = hooks;
            if (h == null) {
                return;
            }
            ThreadSlot slot = SLOTS.get();
            if (slot.depth != 0) {
                return;
            }
            slot.depth = 1;
            try {
                switch (event) {
                    case STARTING:
                        Thread thread = (Thread) subject;
                        if (!h.isTracked(thread)) {
                            h.threadStarting(thread, walk(h));
                        }
                        break;
                    case EXITING:
                        h.threadExiting((Thread) subject);
                        break;
                    case EXECUTOR:
                        h.executorCreated(subject);
                        break;
                    case SLOT:
                        h.threadSlot(Thread.currentThread(), (ThreadSlot) subject);
                        break;
                    case TIMER:
                        h.timerCreated(subject, (Thread) second);
                        break;
                    case CANCELLED:
                        h.taskCancelled(subject, (Thread) second, third);
                        break;
                    default:
                        h.workerRunning(subject);
                }
            } finally {
                slot.depth = 0;
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
