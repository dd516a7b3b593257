package io.threadleak.agent.internal;

import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bridge methods woven code calls, with their descriptors, and a check that the bridge actually defined in the
 * bootstrap loader has each of them (public, static, returning void): a call to a missing one would throw
 * {@code NoSuchMethodError} inside {@code Thread.start}.
 */
final class BridgeCheck {

    /** Bridge method name to descriptor: what the woven {@code invokestatic} names. */
    static final Map<String, String> DESCRIPTORS = Map.ofEntries(
            Map.entry("threadStarting", "(Ljava/lang/Thread;)V"),
            Map.entry("threadExiting", "(Ljava/lang/Thread;)V"),
            Map.entry("virtualThreadCreated", "(Ljava/lang/Thread;Ljava/lang/Object;)V"),
            Map.entry("executorCreated", "(Ljava/lang/Object;)V"),
            Map.entry("workerRunning", "(Ljava/lang/Object;)V"),
            Map.entry("timerCreated", "(Ljava/lang/Object;Ljava/lang/Thread;)V"),
            Map.entry("taskSubmitted", "(Ljava/lang/Object;Ljava/lang/Object;)V"),
            Map.entry("taskRunning", "(Ljava/lang/Object;)V"),
            Map.entry("taskCancelling", "(Ljava/lang/Object;Ljava/lang/Thread;)V"),
            Map.entry("taskCancelled", "(ZLjava/lang/Object;)V"),
            Map.entry("futureWaiting", "(Ljava/lang/Object;)V"),
            Map.entry("futureWaitDone", "(Ljava/lang/Object;)V"));

    private BridgeCheck() {
    }

    /** Why each bridge method cannot be called, by name; empty when all is well. */
    static Map<String, String> problems() {
        Class<?> bridge;
        try {
            bridge = Class.forName(HookPoints.BRIDGE.replace('/', '.'), false, null);
        } catch (ClassNotFoundException | LinkageError e) {
            Map<String, String> all = new LinkedHashMap<>();
            DESCRIPTORS.keySet().forEach(m -> all.put(m, "the bridge is not in the bootstrap loader: " + e));
            return all;
        }
        return problems(bridge);
    }

    /** As {@link #problems()}, for a given bridge class. */
    static Map<String, String> problems(Class<?> bridge) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : DESCRIPTORS.entrySet()) {
            String problem = problem(bridge, e.getKey(), e.getValue());
            if (problem != null) {
                out.put(e.getKey(), problem);
            }
        }
        return out;
    }

    private static String problem(Class<?> bridge, String name, String descriptor) {
        try {
            MethodType type = MethodType.fromMethodDescriptorString(descriptor, null);
            Method m = bridge.getMethod(name, type.parameterArray());
            if (!Modifier.isStatic(m.getModifiers()) || m.getReturnType() != void.class) {
                return "bridge method " + name + descriptor + " is not static void";
            }
            return null;
        } catch (NoSuchMethodException | RuntimeException | LinkageError e) {
            return "bridge lacks " + name + descriptor;
        }
    }
}
