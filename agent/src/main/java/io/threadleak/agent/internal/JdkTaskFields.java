package io.threadleak.agent.internal;

import io.threadleak.core.sample.TaskFields;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The sampler's view of JDK-private task and future state: a {@code FutureTask}'s state, runner and callable, a
 * {@code CompletableFuture}'s result, the future an async {@code CompletableFuture} task completes, and the runnable
 * inside {@code Executors.callable}. Reading fields never runs application code, which calling {@code isDone()} on
 * a subclass could.
 *
 * <p>{@code java.util.concurrent} is opened to this class's module only: the unnamed module of the agent's own
 * class loader, which nothing but the agent can reach. Nothing boot-loaded or on the class path can read these
 * fields through the agent.
 */
final class JdkTaskFields implements TaskFields {

    private static final String FUTURE_TASK = "java.util.concurrent.FutureTask";
    private static final String COMPLETABLE = "java.util.concurrent.CompletableFuture";
    private static final String RUNNABLE_ADAPTER = "java.util.concurrent.Executors$RunnableAdapter";

    private final VarHandle ftState;
    private final VarHandle ftRunner;
    private final VarHandle ftCallable;
    private final VarHandle cfResult;
    private final VarHandle supplyDep;
    private final VarHandle runDep;
    private final VarHandle adapterTask;
    /** {@code ThreadPerTaskExecutor.TaskRunner.task} (JDK 21+), or {@code null}. */
    private final Class<?> taskRunner;
    private final VarHandle taskRunnerTask;
    /** {@code Thread.holder} and {@code Thread.FieldHolder.task} (JDK 19+), or {@code Thread.target} (JDK 17). */
    private final VarHandle threadHolder;
    private final VarHandle threadHolderTask;
    private final VarHandle threadTarget;

    private JdkTaskFields() throws ReflectiveOperationException {
        MethodHandles.Lookup here = MethodHandles.lookup();
        Class<?> ft = Class.forName(FUTURE_TASK);
        Class<?> cf = Class.forName(COMPLETABLE);
        Class<?> supply = Class.forName(COMPLETABLE + "$AsyncSupply");
        Class<?> run = Class.forName(COMPLETABLE + "$AsyncRun");
        Class<?> adapter = Class.forName(RUNNABLE_ADAPTER);
        MethodHandles.Lookup ftL = MethodHandles.privateLookupIn(ft, here);
        ftState = ftL.findVarHandle(ft, "state", int.class);
        ftRunner = ftL.findVarHandle(ft, "runner", Thread.class);
        ftCallable = ftL.findVarHandle(ft, "callable", Callable.class);
        cfResult = MethodHandles.privateLookupIn(cf, here).findVarHandle(cf, "result", Object.class);
        supplyDep = MethodHandles.privateLookupIn(supply, here).findVarHandle(supply, "dep", cf);
        runDep = MethodHandles.privateLookupIn(run, here).findVarHandle(run, "dep", cf);
        adapterTask = MethodHandles.privateLookupIn(adapter, here).findVarHandle(adapter, "task", Runnable.class);
        Class<?> runner = null;
        VarHandle runnerTask = null;
        try {
            runner = Class.forName("java.util.concurrent.ThreadPerTaskExecutor$TaskRunner");
            runnerTask = MethodHandles.privateLookupIn(runner, here).findVarHandle(runner, "task", Runnable.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            runner = null; // JDK 17, or a JDK whose wrapper changed: its threads are walked, never keyed
        }
        taskRunner = runner;
        taskRunnerTask = runnerTask;
        VarHandle holder = null;
        VarHandle holderTask = null;
        VarHandle target = null;
        try {
            MethodHandles.Lookup threadL = MethodHandles.privateLookupIn(Thread.class, here);
            try {
                Class<?> holderClass = Class.forName("java.lang.Thread$FieldHolder");
                holder = threadL.findVarHandle(Thread.class, "holder", holderClass);
                holderTask = MethodHandles.privateLookupIn(holderClass, here)
                        .findVarHandle(holderClass, "task", Runnable.class);
            } catch (ReflectiveOperationException | RuntimeException e) {
                holder = null; // JDK 17: the task is a field of the thread itself
                holderTask = null;
                target = threadL.findVarHandle(Thread.class, "target", Runnable.class);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            holder = null; // a JDK whose Thread changed: platform thread starts are walked, never keyed
            holderTask = null;
            target = null;
        }
        threadHolder = holder;
        threadHolderTask = holderTask;
        threadTarget = target;
    }

    /** Opens the package to this module and resolves the fields; returns {@link TaskFields#NONE} and the problem
     *  on failure. */
    static Map.Entry<TaskFields, String> open(Instrumentation inst) {
        try {
            inst.redefineModule(Object.class.getModule(), Set.of(), Map.of(),
                    Map.of("java.util.concurrent", Set.of(JdkTaskFields.class.getModule()),
                            "java.lang", Set.of(JdkTaskFields.class.getModule())), Set.of(), Map.of());
            return Map.entry(new JdkTaskFields(), "");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Map.entry(TaskFields.NONE, e.toString());
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

    @Override
    public int futureTaskState(Object task) {
        return task == null || !isA(task, FUTURE_TASK) ? -1 : (int) ftState.getVolatile(task);
    }

    @Override
    public Thread futureTaskRunner(Object task) {
        return task == null || !isA(task, FUTURE_TASK) ? null : (Thread) ftRunner.getVolatile(task);
    }

    @Override
    public Object futureTaskBody(Object task) {
        if (task == null || !isA(task, FUTURE_TASK)) {
            return null;
        }
        Object callable = ftCallable.getVolatile(task);
        if (callable != null && callable.getClass().getName().equals(RUNNABLE_ADAPTER)) {
            return adapterTask.get(callable);
        }
        return callable;
    }

    @Override
    public Object startTarget(Object task) {
        if (task != null && task.getClass() == taskRunner) {
            task = taskRunnerTask.get(task);
        }
        if (task instanceof java.util.concurrent.FutureTask) {
            Object body = ftCallable.get(task);
            if (body != null && body.getClass().getName().equals(RUNNABLE_ADAPTER)) {
                body = adapterTask.get(body);
            }
            return body;
        }
        return task;
    }

    @Override
    public Object threadTask(Thread thread) {
        if (thread.getClass() != Thread.class) {
            return thread; // a subclass: its class is where the thread is started (a JDK class is no key)
        }
        if (threadHolder != null) {
            Object holder = threadHolder.get(thread);
            return holder == null ? null : startTarget(threadHolderTask.get(holder));
        }
        return threadTarget == null ? null : startTarget(threadTarget.get(thread));
    }

    @Override
    public Boolean completableDone(Object future) {
        return future == null || !isA(future, COMPLETABLE) ? null : cfResult.getVolatile(future) != null;
    }

    @Override
    public Object asyncTarget(Object task) {
        if (task == null) {
            return null;
        }
        String name = task.getClass().getName();
        if (name.equals(COMPLETABLE + "$AsyncSupply")) {
            return supplyDep.getVolatile(task);
        }
        if (name.equals(COMPLETABLE + "$AsyncRun")) {
            return runDep.getVolatile(task);
        }
        return null;
    }
}
