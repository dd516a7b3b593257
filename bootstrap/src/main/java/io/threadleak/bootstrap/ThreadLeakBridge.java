package io.threadleak.bootstrap;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The one class that instrumented JDK methods call.
 *
 * <p>This class, {@link ThreadHooks}, {@link ThreadSlotLayout} and their nested classes are defined in the bootstrap
 * class loader by the agent, so that {@code java.lang.Thread} can see them. They must never be loaded by any other
 * class loader and must depend on nothing but the JDK.
 *
 * <p>Every entry point is a no-op until the agent installs its hooks, swallows every failure of the hooks (counting
 * it), and ignores calls made while the same thread is already inside a hook, so that the agent can never recurse
 * into itself. Everything here is public because JDK classes call it, so class-path code can call it too: it can
 * neither switch the agent off ({@link #install} is one-shot) nor read anything through it (nothing returns an
 * application or JDK object), and the events it could fake are checked where that is cheap.
 */
public final class ThreadLeakBridge {

    private static final StackWalker WALKER = StackWalker.getInstance();
    /** {@code java.lang.VirtualThread} (JDK 21+), or {@code null}. */
    private static final Class<?> VIRTUAL_THREAD = jdkClass("java.lang.VirtualThread");
    private static final String OWN_PACKAGE = "io.threadleak.bootstrap.";

    private static volatile ThreadHooks hooks;
    /** The walk of a creation stack's head, made once at install; {@code null} when stacks are off. */
    private static volatile HeadWalk headWalk;
    /** Whether every task submission is recorded with its stack ({@code stacks=all}), not only nested ones. */
    private static volatile boolean allTasks;
    /**
     * Whether the task hooks record anything: the task each thread runs, and the submissions made inside it (its
     * children). Off until the program first cancels a running task (or with {@code stacks=all}): until then a
     * task costs one volatile read per hook. Measured: one hook per task, always on, cost
     * {@code ThreadPoolExecutor} submit+run 0.86-0.97x, over the 0.95 budget.
     */
    private static volatile boolean taskTracking;
    /** Whether the program ever opened a scope ({@link ScopeBridge}): until then a thread start pays one read. */
    static volatile boolean scopesUsed;
    private static final AtomicLong FAILURES = new AtomicLong();
    private static final Object INSTALL_LOCK = new Object();
    private static final ThreadLocal<ThreadSlot> SLOTS = new ThreadLocal<>() {
        @Override
        protected ThreadSlot initialValue() {
            return new ThreadSlot();
        }
    };

    private ThreadLeakBridge() {
    }

    private static Class<?> jdkClass(String name) {
        try {
            return Class.forName(name, false, null);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /**
     * Installs the hooks, once: the first non-null call wins and every later call changes nothing. The agent calls it
     * right after defining this class and gives up if it did not win.
     *
     * @return whether this call installed {@code newHooks}
     */
    public static boolean install(ThreadHooks newHooks) {
        synchronized (INSTALL_LOCK) { // not the class: anyone can lock that
            if (hooks != null || newHooks == null) {
                return false;
            }
            boolean all = newHooks.tasksWithStacks();
            int depth = newHooks.creationStackDepth();
            headWalk = depth <= 0 ? null : new HeadWalk(newHooks, depth);
            allTasks = all;
            taskTracking = all;
            hooks = newHooks;
            return true;
        }
    }

    /** Whether hooks are installed. */
    public static boolean installed() {
        return hooks != null;
    }

    /** How many hook calls threw (and were swallowed) so far. */
    public static long failures() {
        return FAILURES.get();
    }

    // ---- the entry points woven into JDK methods; none of them ever throws ------------------------------------

    /**
     * {@code Thread.start} (and {@code VirtualThread.start}), on entry. A thread whose class or task's class already
     * told where threads of that class start (for a virtual thread noted by {@link #virtualThreadCreated}, for a
     * platform thread asked here) is recorded without a walk, mostly: the hooks decide.
     */
    public static void threadStarting(Thread thread) {
        ThreadHooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            ThreadSlot slot = enter();
            if (slot == null) {
                return;
            }
            try {
                // VirtualThread.start() delegates to start(ThreadContainer), and both are hooked: the second call
                // for the same virtual thread returns here. A virtual thread being started has no record yet, so
                // it is not looked up (a second start fails in the JDK, and the registry keeps the first record).
                boolean virtual = thread != null && thread.getClass() == VIRTUAL_THREAD;
                long virtualId = virtual ? threadId(thread) : -1;
                if (virtual && slot.startedVirtual == virtualId) {
                    return;
                }
                slot.startedVirtual = virtualId;
                if (virtual || !h.isTracked(thread)) {
                    // a virtual thread's key was noted as it was made (virtualThreadCreated); a platform thread's is
                    // asked for here. Either way there is none when stacks are off: nothing to save a walk of.
                    HeadWalk walk = headWalk;
                    Object key = slot.startKey;
                    slot.startKey = null;
                    if (!virtual) {
                        key = walk == null ? null : h.platformStartKey(thread);
                    } else if (slot.startKeyThread != virtualId) {
                        key = null; // noted for another thread
                    }
                    boolean scopes = scopesUsed;
                    if (key == null || !h.threadStartingKnown(thread, key, scopes)) {
                        // walked here, in the entry point itself: every frame between Thread.start and the walk is
                        // a frame the walker materialises, and the thread-start budget has room for few
                        h.threadStarting(thread, walk == null ? null : WALKER.walk(walk), key);
                    }
                    if (scopes) {
                        ThreadScope.Frame frame = slot.scopes;
                        h.threadScoped(thread, frame == null ? null : frame.scope);
                    }
                }
            } finally {
                slot.depth = 0;
            }
        } catch (Throwable t) {
            FAILURES.incrementAndGet();
        }
    }

    /**
     * {@code VirtualThread}'s constructor, as it returns, with the task it was given: notes in the constructing
     * thread's slot the key its task's class gives (see {@link ThreadHooks#startKey}), for the start that usually
     * follows on the same thread. Only the JDK's virtual threads count, and nothing is noted when stacks are off.
     */
    public static void virtualThreadCreated(Thread thread, Object task) {
        if (headWalk != null && thread != null && thread.getClass() == VIRTUAL_THREAD) {
            guarded(Event.VIRTUAL_THREAD_CREATED, thread, task);
        }
    }

    /**
     * {@code Thread.exit} on entry, and the end of a virtual thread ({@code VirtualThread.afterDone}) as it returns,
     * once the threads joining it are woken. Counts only where the JDK calls it: a platform thread ends on itself, a
     * virtual thread on a carrier (a fork-join worker) after unmounting. Anything else is class-path code faking an
     * end to hide a thread; the sampler still ends
     * records by the thread's state.
     */
    public static void threadExiting(Thread thread) {
        ThreadHooks h = hooks;
        if (h == null) {
            return;
        }
        Thread current = Thread.currentThread();
        if (thread == current || thread != null && thread.getClass() == VIRTUAL_THREAD
                && current instanceof ForkJoinWorkerThread) {
            // Not through the thread's slot: a thread that ran no hooked code has none, and making one as it ends
            // would allocate its thread-local map, an entry (a weak reference) and the slot, only to drop them.
            // Nothing the hook does can end a thread, so it cannot recur without the slot's guard.
            try {
                h.threadExiting(thread);
            } catch (Throwable t) {
                FAILURES.incrementAndGet();
            }
        }
    }

    /** An executor's constructor, as it returns. */
    public static void executorCreated(Object executor) {
        guarded(Event.EXECUTOR_CREATED, executor, null);
    }

    /** A pool worker entering its executor's work loop. */
    public static void workerRunning(Object executor) {
        guarded(Event.WORKER_RUNNING, executor, null);
    }

    /** A {@code java.util.Timer} constructor, as it returns, with the timer's thread. */
    public static void timerCreated(Object timer, Thread timerThread) {
        guarded(Event.TIMER_CREATED, timer, timerThread);
    }

    /**
     * A task handed to an executor ({@code ThreadPoolExecutor.execute},
     * {@code ScheduledThreadPoolExecutor.delayedExecute}). The hot path: until task tracking is on it returns at
     * once; then it reads one thread-local and, when the submitting thread runs a task itself (a nested
     * submission), remembers the child in the thread's slot with one store; only with {@code stacks=all} does it
     * call the agent.
     */
    public static void taskSubmitted(Object executor, Object task) {
        if (!taskTracking || hooks == null) {
            return;
        }
        try {
            ThreadSlot slot = SLOTS.get();
            Object parent = slot.getPlain(ThreadSlotLayout.TASK);
            if (parent != null) {
                slot.child(task);
            }
            if (allTasks) {
                guarded(Event.TASK_SUBMITTED, executor, task);
            }
        } catch (Throwable t) {
            FAILURES.incrementAndGet();
        }
    }

    /**
     * {@code FutureTask.run}/{@code runAndReset}, on entry: the thread now runs {@code task}, and the children of
     * its previous task are forgotten. There is no hook as the task ends (one hook per task is what the budget
     * allows): the sampler tells a finished task from the thread's stack and empties the slot. Does nothing until
     * task tracking is on (see {@link #taskTracking}).
     */
    public static void taskRunning(Object task) {
        if (taskTracking) {
            mark(ThreadSlotLayout.TASK, task);
        }
    }

    /**
     * {@code FutureTask.cancel}, on entry, with the thread running the task (or {@code null}): takes the children
     * that thread submitted so far, before the interrupt lets the task end and forget them. Cancelling a task that
     * no thread runs costs nothing while task tracking is off ({@code CompletableFuture.orTimeout} cancels its
     * timeout task on every completion).
     */
    public static void taskCancelling(Object task, Thread runner) {
        if (runner == null && !taskTracking || hooks == null) {
            return;
        }
        if (runner != null && !taskTracking) {
            taskTracking = true; // this program cancels running tasks: from now on, tasks are worth following
        }
        guarded(Event.TASK_CANCELLING, task, runner);
    }

    /** {@code FutureTask.cancel}, as it returns, with what it returns. */
    public static void taskCancelled(boolean cancelled, Object task) {
        if (taskTracking) {
            guarded(Event.TASK_CANCELLED, task, cancelled ? Boolean.TRUE : Boolean.FALSE);
        }
    }

    /** A thread starting to block on a future ({@code FutureTask.awaitDone},
     *  {@code CompletableFuture.waitingGet}/{@code timedGet}), on entry. */
    public static void futureWaiting(Object future) {
        mark(ThreadSlotLayout.FUTURE, future);
    }

    /** That wait returning normally (after an exception the sampler empties the slot). */
    public static void futureWaitDone(Object future) {
        if (hooks == null) {
            return;
        }
        try {
            ThreadSlot slot = SLOTS.get();
            if (slot.getPlain(ThreadSlotLayout.FUTURE) == future) {
                slot.setRelease(ThreadSlotLayout.FUTURE, null);
            }
        } catch (Throwable t) {
            FAILURES.incrementAndGet();
        }
    }

    // ---- scopes (ScopeBridge) ---------------------------------------------------------------------------------

    /** The current thread's slot, for {@link ScopeBridge}. */
    static ThreadSlot slot() {
        return SLOTS.get();
    }

    /** The agent's answer for {@link ScopeBridge#leftovers}, inside the guard; {@code null} on any failure. */
    static Object[] scopeLeftovers(ThreadScope scope) {
        ThreadHooks h = hooks;
        if (h == null) {
            return null;
        }
        try {
            ThreadSlot slot = enter();
            if (slot == null) {
                return null;
            }
            try {
                return h.scopeLeftovers(scope);
            } finally {
                slot.depth = 0;
            }
        } catch (Throwable t) {
            FAILURES.incrementAndGet();
            return null;
        }
    }

    // ---- the one guard ---------------------------------------------------------------------------------------------

    /** Writes a slot element (a new task also forgets the previous task's children); hands the slot to the agent
     *  on its first use. */
    private static void mark(int index, Object value) {
        if (hooks == null) {
            return;
        }
        try {
            ThreadSlot slot = SLOTS.get();
            slot.setRelease(index, value);
            if (index == ThreadSlotLayout.TASK) {
                slot.clearChildren();
            }
            if (!slot.announced) {
                slot.announced = true;
                guarded(Event.SLOT_READY, slot, null);
            }
        } catch (Throwable t) {
            FAILURES.incrementAndGet();
        }
    }

    /** Calls the hooks for an event, unless none are installed or this thread is already inside a hook; swallows
     *  and counts every failure. */
    private static void guarded(Event event, Object a, Object b) {
        ThreadHooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            ThreadSlot slot = enter();
            if (slot == null) {
                return;
            }
            try {
                event.call(h, slot, a, b);
            } finally {
                slot.depth = 0;
            }
        } catch (Throwable t) {
            FAILURES.incrementAndGet();
        }
    }

    /** A thread's id ({@code getId()}: Java 17 has no {@code threadId()}; the JDK's thread classes keep it). */
    @SuppressWarnings("deprecation")
    private static long threadId(Thread thread) {
        return thread.getId();
    }

    /** The current thread's slot, marked as inside a hook; {@code null} when the thread already is (no recursion).
     *  The caller clears {@code depth} when it leaves. */
    private static ThreadSlot enter() {
        ThreadSlot slot = SLOTS.get();
        if (slot.depth != 0) {
            return null;
        }
        slot.depth = 1;
        return slot;
    }

    /** What each event does inside the guard. */
    private enum Event {
        VIRTUAL_THREAD_CREATED {
            @Override
            void call(ThreadHooks h, ThreadSlot slot, Object thread, Object task) {
                Object key = h.startKey((Thread) thread, task);
                slot.startKey = key;
                slot.startKeyThread = key == null ? -1 : threadId((Thread) thread); // the JDK's final class
            }
        },
        EXECUTOR_CREATED {
            @Override
            void call(ThreadHooks h, ThreadSlot slot, Object executor, Object unused) {
                h.executorCreated(executor);
            }
        },
        WORKER_RUNNING {
            @Override
            void call(ThreadHooks h, ThreadSlot slot, Object executor, Object unused) {
                h.workerRunning(executor);
            }
        },
        TIMER_CREATED {
            @Override
            void call(ThreadHooks h, ThreadSlot slot, Object timer, Object thread) {
                h.timerCreated(timer, (Thread) thread);
            }
        },
        TASK_SUBMITTED {
            @Override
            void call(ThreadHooks h, ThreadSlot slot, Object executor, Object task) {
                h.taskSubmitted(executor, task, slot.getPlain(ThreadSlotLayout.TASK), walk(h));
            }
        },
        TASK_CANCELLING {
            @Override
            void call(ThreadHooks h, ThreadSlot slot, Object task, Object runner) {
                slot.cancelling = task;
                slot.cancellingRunner = (Thread) runner;
                slot.cancellingChildren = runner == null ? null : h.childrenOf((Thread) runner);
            }
        },
        TASK_CANCELLED {
            @Override
            void call(ThreadHooks h, ThreadSlot slot, Object task, Object cancelled) {
                boolean mine = slot.cancelling == task;
                Object children = mine ? slot.cancellingChildren : null;
                Thread runner = mine ? slot.cancellingRunner : null;
                slot.endCancel();
                if (cancelled == Boolean.TRUE) {
                    h.taskCancelled(task, runner, children);
                }
            }
        },
        SLOT_READY {
            @Override
            void call(ThreadHooks h, ThreadSlot slot, Object unused, Object unused2) {
                h.threadSlot(Thread.currentThread(), slot);
            }
        };

        abstract void call(ThreadHooks h, ThreadSlot slot, Object a, Object b);
    }

    private static List<StackWalker.StackFrame> walk(ThreadHooks h) {
        HeadWalk walk = headWalk;
        return walk == null ? null : WALKER.walk(walk);
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
