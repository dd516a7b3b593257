package io.threadleak.agent.internal;

import io.threadleak.core.registry.VirtualThreadCensus;
import io.threadleak.core.sample.TaskFields;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The agent's {@link VirtualThreadCensus}, from JDK-private state (JDK 21+): a virtual thread's task is the one its
 * continuation's target wraps ({@code VirtualThread.cont}, {@code Continuation.target}, a field of the JDK's wrapper
 * class), and the live virtual threads are those of the JDK's thread containers, from the root
 * ({@code jdk.internal.vm.ThreadContainers}), which with {@code jdk.trackAllThreads} (the default) hold every one.
 *
 * <p>{@code jdk.internal.vm} is opened to this class's module only, the unnamed module of the agent's own class
 * loader, as {@code java.lang} already is for {@link JdkTaskFields}. Nothing here calls application code.
 *
 * <p>The census is trusted only after it named the task of the first virtual thread made with the hooks in place
 * correctly ({@link #check}); until then, and for good if it did not, every virtual thread is recorded as it starts.
 */
final class JdkVirtualThreads implements VirtualThreadCensus {

    private static final String VIRTUAL_THREAD = "java.lang.VirtualThread";
    private static final String CONTAINERS = "jdk.internal.vm.ThreadContainers";
    private static final String CONTAINER = "jdk.internal.vm.ThreadContainer";
    private static final String CONTINUATION = "jdk.internal.vm.Continuation";
    /** Containers nested deeper than this are not listed (they nest as scopes do; a guard against a cycle). */
    private static final int MAX_DEPTH = 64;

    private final Class<?> virtualThread;
    private final VarHandle cont;
    private final VarHandle target;
    private final MethodHandle root;
    private final MethodHandle threads;
    private final MethodHandle children;
    private final MethodHandle trackAll;
    private final TaskFields fields;
    /** The JDK's class wrapping a virtual thread's task, and its field holding it; known after {@link #check}. */
    private volatile Class<?> wrapper;
    private volatile VarHandle wrapped;
    /** 0 until {@link #check} ran, then 1 when the census named the task right, -1 when it did not. */
    private volatile int state;

    private JdkVirtualThreads(Class<?> virtualThread, TaskFields fields) throws ReflectiveOperationException {
        MethodHandles.Lookup here = MethodHandles.lookup();
        this.virtualThread = virtualThread;
        this.fields = fields;
        Class<?> continuation = Class.forName(CONTINUATION);
        Class<?> containers = Class.forName(CONTAINERS);
        Class<?> container = Class.forName(CONTAINER);
        cont = MethodHandles.privateLookupIn(virtualThread, here).findVarHandle(virtualThread, "cont", continuation);
        target = MethodHandles.privateLookupIn(continuation, here).findVarHandle(continuation, "target",
                Runnable.class);
        MethodHandles.Lookup vm = MethodHandles.privateLookupIn(containers, here);
        root = vm.findStatic(containers, "root", MethodType.methodType(container));
        threads = vm.findVirtual(container, "threads", MethodType.methodType(Stream.class));
        children = vm.findVirtual(container, "children", MethodType.methodType(Stream.class));
        trackAll = vm.findStatic(containers, "trackAllThreads", MethodType.methodType(boolean.class));
    }

    /** Whether the JDK keeps every virtual thread in a container ({@code jdk.trackAllThreads}, on by default). */
    private boolean tracksAll() {
        try {
            return (boolean) trackAll.invokeExact();
        } catch (Throwable t) {
            return false;
        }
    }

    /**
     * Opens {@code jdk.internal.vm} to this module and resolves what the census reads: {@link VirtualThreadCensus#NONE}
     * and no problem on a JDK without virtual threads or with {@code -Djdk.trackAllThreads=false} (the JDK does not
     * list them: every virtual thread is recorded as it starts), {@code NONE} and the problem when the JDK is shaped
     * otherwise.
     */
    static Map.Entry<VirtualThreadCensus, String> open(Instrumentation inst, TaskFields fields) {
        Class<?> vt;
        try {
            vt = Class.forName(VIRTUAL_THREAD, false, null);
        } catch (ClassNotFoundException e) {
            return Map.entry(NONE, "");
        }
        try {
            inst.redefineModule(Object.class.getModule(), Set.of(), Map.of(),
                    Map.of("jdk.internal.vm", Set.of(JdkVirtualThreads.class.getModule())), Set.of(), Map.of());
            JdkVirtualThreads census = new JdkVirtualThreads(vt, fields);
            return Map.entry(census.tracksAll() ? census : NONE, "");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Map.entry(NONE, e.toString());
        }
    }

    @Override
    public boolean available() {
        return state > 0;
    }

    /**
     * The virtual-thread constructor's hook, with the task the constructor was given: the first time, finds the
     * field of the JDK's wrapper that holds it and trusts the census if that names exactly this task.
     */
    @Override
    public void check(Thread thread, Object task) {
        if (state != 0 || task == null || thread == null || thread.getClass() != virtualThread) {
            return;
        }
        synchronized (this) {
            if (state != 0) {
                return;
            }
            int verdict = -1;
            try {
                Object runnable = target.get(cont.get(thread));
                VarHandle field = runnable == null ? null : fieldHolding(runnable, task);
                if (field != null) {
                    wrapper = runnable.getClass();
                    wrapped = field;
                    verdict = 1;
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                verdict = -1;
            }
            state = verdict;
        }
    }

    /** The one field of the wrapper's class that holds {@code task}, or {@code null}. */
    private static VarHandle fieldHolding(Object wrapper, Object task) throws ReflectiveOperationException {
        Class<?> type = wrapper.getClass();
        if (type.getClassLoader() != null) {
            return null; // not the JDK's own wrapper
        }
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
        VarHandle found = null;
        for (Field f : type.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                continue;
            }
            VarHandle h = lookup.unreflectVarHandle(f);
            if (h.get(wrapper) == task) {
                if (found != null) {
                    return null; // two fields hold it: cannot tell which is the task
                }
                found = h;
            }
        }
        return found;
    }

    @Override
    public Object task(Thread thread) {
        if (state <= 0 || thread == null || thread.getClass() != virtualThread) {
            return null;
        }
        Object runnable = target.get(cont.get(thread));
        if (runnable == null || runnable.getClass() != wrapper) {
            return null;
        }
        return fields.startTarget(wrapped.get(runnable));
    }

    /** Lists the live virtual threads; should that ever fail, the census gives up for good instead of throwing. */
    @Override
    public void forEachLive(Consumer<Thread> action) {
        if (state <= 0) {
            return;
        }
        try {
            visit(root.invoke(), 0, Collections.newSetFromMap(new IdentityHashMap<>()), action);
        } catch (Throwable t) {
            // a JDK whose containers misbehave: from now on every virtual thread is recorded as it starts (those
            // started without a record so far are still counted, and recorded when a hook needs them)
            state = -1;
        }
    }

    /** Hands over the container's virtual threads, then those of the containers nested in it. */
    @SuppressWarnings("unchecked")
    private void visit(Object container, int depth, Set<Object> seen, Consumer<Thread> action) throws Throwable {
        if (container == null || depth > MAX_DEPTH || !seen.add(container)) {
            return;
        }
        for (Iterator<Thread> it = ((Stream<Thread>) threads.invoke(container)).iterator(); it.hasNext(); ) {
            Thread t = it.next();
            if (t != null && t.getClass() == virtualThread) {
                action.accept(t);
            }
        }
        for (Iterator<Object> it = ((Stream<Object>) children.invoke(container)).iterator(); it.hasNext(); ) {
            visit(it.next(), depth + 1, seen, action);
        }
    }
}
