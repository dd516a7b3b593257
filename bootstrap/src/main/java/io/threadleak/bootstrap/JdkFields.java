package io.threadleak.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Reads a few private fields of JDK tasks and futures for the sampler: a {@code FutureTask}'s state, runner and
 * callable, a {@code CompletableFuture}'s result, the future an async {@code CompletableFuture} task completes,
 * and the runnable inside {@code Executors.callable}. Reading fields never runs application code, which calling
 * {@code isDone()} on a subclass could.
 *
 * <p>The agent opens {@code java.util.concurrent} to this class's module (the bootstrap loader's unnamed module,
 * where only the bridge lives) and to nobody else. Until {@link #open} succeeded every read answers "unknown".
 */
public final class JdkFields {

    /** {@link #futureTaskState} when the state cannot be read. */
    public static final int UNKNOWN = -1;

    private static volatile Handles handles;

    private JdkFields() {
    }

    private record Handles(VarHandle ftState, VarHandle ftRunner, VarHandle ftCallable, VarHandle cfResult,
                           VarHandle supplyDep, VarHandle runDep, VarHandle adapterTask) {
    }

    /** Resolves the fields; returns a problem, or {@code null} on success. */
    public static synchronized String open() {
        try {
            MethodHandles.Lookup here = MethodHandles.lookup();
            Class<?> ft = Class.forName("java.util.concurrent.FutureTask");
            Class<?> cf = Class.forName("java.util.concurrent.CompletableFuture");
            Class<?> supply = Class.forName("java.util.concurrent.CompletableFuture$AsyncSupply");
            Class<?> run = Class.forName("java.util.concurrent.CompletableFuture$AsyncRun");
            Class<?> adapter = Class.forName("java.util.concurrent.Executors$RunnableAdapter");
            MethodHandles.Lookup ftL = MethodHandles.privateLookupIn(ft, here);
            handles = new Handles(
                    ftL.findVarHandle(ft, "state", int.class),
                    ftL.findVarHandle(ft, "runner", Thread.class),
                    ftL.findVarHandle(ft, "callable", java.util.concurrent.Callable.class),
                    MethodHandles.privateLookupIn(cf, here).findVarHandle(cf, "result", Object.class),
                    MethodHandles.privateLookupIn(supply, here).findVarHandle(supply, "dep", cf),
                    MethodHandles.privateLookupIn(run, here).findVarHandle(run, "dep", cf),
                    MethodHandles.privateLookupIn(adapter, here).findVarHandle(adapter, "task", Runnable.class));
            return null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return e.toString();
        }
    }

    private static boolean isA(Object o, String className) {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(className)) {
                return true;
            }
        }
        return false;
    }

    /** A {@code FutureTask}'s state: 0 new (not done), 1 completing, 2 normal, 3 exceptional, 4 cancelled,
     *  5 interrupting, 6 interrupted; {@link #UNKNOWN} for anything else. */
    public static int futureTaskState(Object task) {
        Handles h = handles;
        return h == null || !isA(task, "java.util.concurrent.FutureTask") ? UNKNOWN : (int) h.ftState.getVolatile(task);
    }

    /** The thread running a {@code FutureTask} now, or {@code null}. */
    public static Thread futureTaskRunner(Object task) {
        Handles h = handles;
        return h == null || !isA(task, "java.util.concurrent.FutureTask") ? null : (Thread) h.ftRunner.getVolatile(task);
    }

    /** What a {@code FutureTask} runs: its callable, or for {@code submit(Runnable)} the runnable inside the
     *  JDK's adapter; {@code null} once done or unknown. */
    public static Object futureTaskBody(Object task) {
        Handles h = handles;
        if (h == null || !isA(task, "java.util.concurrent.FutureTask")) {
            return null;
        }
        Object callable = h.ftCallable.getVolatile(task);
        if (callable != null && callable.getClass().getName().equals("java.util.concurrent.Executors$RunnableAdapter")) {
            return h.adapterTask.get(callable);
        }
        return callable;
    }

    /** Whether a {@code CompletableFuture} is complete; {@code null} when unknown. */
    public static Boolean completableDone(Object future) {
        Handles h = handles;
        if (h == null || !isA(future, "java.util.concurrent.CompletableFuture")) {
            return null;
        }
        return h.cfResult.getVolatile(future) != null;
    }

    /** The future an async {@code CompletableFuture} task ({@code supplyAsync}/{@code runAsync}) completes, or
     *  {@code null}. */
    public static Object asyncTarget(Object task) {
        Handles h = handles;
        if (h == null) {
            return null;
        }
        String name = task.getClass().getName();
        if (name.equals("java.util.concurrent.CompletableFuture$AsyncSupply")) {
            return h.supplyDep.getVolatile(task);
        }
        if (name.equals("java.util.concurrent.CompletableFuture$AsyncRun")) {
            return h.runDep.getVolatile(task);
        }
        return null;
    }
}
