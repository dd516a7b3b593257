package io.threadleak.agent.internal;

import static io.threadleak.agent.internal.HookPoints.TARGETS;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;

/**
 * Adds one {@code invokestatic ThreadLeakBridge.<hook>(this)} to a few JDK methods, nothing else. No member
 * is added and no stack map frame changes (the call leaves the operand stack as it found it), so classes that
 * are already loaded can be retransformed; the transformer stays registered for the executor classes that
 * load later.
 *
 * <p>The call is written with the ASM that ByteBuddy bundles. ByteBuddy's {@code Advice} would inline the
 * same call but loads about a thousand classes to do it, which cost the host 300-400 ms of start-up, and its
 * {@code AgentBuilder} set-up touches {@code sun.misc.Unsafe} (a warning on JDK 24+). The bridge itself
 * catches every failure, which is what {@code Advice}'s {@code suppress} would have added.
 *
 * <p>Hook points, checked with {@code javap -p} on JDK 17 and 25 (see {@link HookPoints}). A JDK
 * may change any of them, so nothing is woven on trust: a class is hooked only if it has every member its hooks
 * touch, with the expected descriptor ({@link ClassShape}), and the bridge has every method they call
 * ({@link BridgeCheck}); otherwise it is left untouched and reported as skipped. Classes are retransformed one at a
 * time, so one failure skips one class; {@link #rollback} takes every hook out again.
 */
public final class JdkInstrumentation implements ClassFileTransformer {

    /** Hooks placed, by class (dotted name): "exit,start". */
    private final Map<String, String> placed = new ConcurrentHashMap<>();
    /** Classes left untouched, with why. */
    private final Map<String, String> skipped = new ConcurrentHashMap<>();
    /** Problems met after start-up (a class transformed again later), for the sampler to log. */
    private final ConcurrentLinkedQueue<String> late = new ConcurrentLinkedQueue<>();
    /** Why each bridge method cannot be called, if any: hooks calling it are not woven. */
    private final Map<String, String> bridgeProblems;
    private final List<Class<?>> targets = new ArrayList<>();
    private volatile boolean started;

    private JdkInstrumentation(Map<String, String> bridgeProblems) {
        this.bridgeProblems = bridgeProblems;
    }

    /**
     * Registers the transformer and retransforms the target classes one at a time. Never throws for a class: a
     * class that cannot be hooked is left as it was and listed in {@link #skipped()}.
     */
    public static JdkInstrumentation install(Instrumentation inst) {
        return install(inst, BridgeCheck.problems());
    }

    static JdkInstrumentation install(Instrumentation inst, Map<String, String> bridgeProblems) {
        JdkInstrumentation transformer = new JdkInstrumentation(bridgeProblems);
        for (String name : TARGETS) {
            Class<?> c = loadedBootClass(name.replace('/', '.'));
            if (c != null) {
                transformer.targets.add(c);
            }
        }
        inst.addTransformer(transformer, true);
        for (Class<?> c : transformer.targets) {
            try {
                inst.retransformClasses(c);
            } catch (Exception | LinkageError e) {
                transformer.placed.remove(c.getName());
                transformer.skipped.put(c.getName(), "retransformation failed: " + e);
            }
        }
        transformer.started = true;
        return transformer;
    }

    /** A transformer that checks hooks against the given bridge class (tests: the class path's copy). */
    static JdkInstrumentation checkedAgainst(Class<?> bridge) {
        return new JdkInstrumentation(BridgeCheck.problems(bridge));
    }

    /** Takes every hook out: removes the transformer and retransforms the hooked classes without it. */
    public void rollback(Instrumentation inst) {
        inst.removeTransformer(this);
        for (Class<?> c : targets) {
            if (placed.remove(c.getName()) != null) {
                try {
                    inst.retransformClasses(c);
                } catch (Exception | LinkageError e) {
                    skipped.put(c.getName(), "hooks could not be taken out: " + e);
                }
            }
        }
    }

    /** Hooks placed: {@code Thread.exit,start; Timer.<init>x4; ...}, classes in name order. */
    public String placed() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(placed).entrySet()) {
            out.append(out.length() == 0 ? "" : "; ").append(simple(e.getKey())).append('.').append(e.getValue());
        }
        return out.toString();
    }

    /** Classes left untouched, with why (dotted name to reason). */
    public Map<String, String> skipped() {
        return new TreeMap<>(skipped);
    }

    /** Problems met since the last call, after start-up. */
    public List<String> lateProblems() {
        List<String> out = new ArrayList<>();
        for (String p; (p = late.poll()) != null; ) {
            out.add(p);
        }
        return out;
    }

    private void skip(String className, String reason) {
        String name = className.replace('/', '.');
        placed.remove(name);
        if (skipped.put(name, reason) == null && started) {
            late.add(name + " left untouched: " + reason);
        }
    }

    /** {@code start,exit} or {@code <init>x4}: the hooked methods, overloads counted. */
    private static String summary(List<String> methods) {
        Map<String, Integer> counts = new TreeMap<>();
        methods.forEach(m -> counts.merge(m, 1, Integer::sum));
        StringBuilder out = new StringBuilder();
        counts.forEach((m, n) -> out.append(out.length() == 0 ? "" : ",").append(m).append(n > 1 ? "x" + n : ""));
        return out.toString();
    }

    private static String simple(String dotted) {
        return dotted.substring(dotted.lastIndexOf('.') + 1);
    }

    /** The class if the bootstrap loader has it; a class not yet loaded is transformed when it loads. */
    private static Class<?> loadedBootClass(String name) {
        try {
            return Class.forName(name, false, null);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] bytes) {
        if (loader != null || className == null || !TARGETS.contains(className)) {
            return null;
        }
        String dotted = className.replace('/', '.');
        if (skipped.containsKey(dotted)) {
            return null; // once skipped, always left as the JDK made it
        }
        try {
            ClassReader reader = new ClassReader(bytes);
            String problem = ClassShape.of(reader).problem(className);
            if (problem == null) {
                problem = bridgeProblem(className);
            }
            if (problem != null) {
                skip(className, problem);
                return null;
            }
            ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
            HookInserter inserter = new HookInserter(writer, className);
            reader.accept(inserter, 0);
            if (inserter.hooked.isEmpty()) {
                skip(className, "no hook method found");
                return null;
            }
            placed.put(dotted, summary(inserter.hooked));
            return writer.toByteArray();
        } catch (Throwable t) {
            skip(className, t.toString());
            return null;
        }
    }

    /** Why a bridge method this class's hooks call cannot be called, or {@code null}. */
    private String bridgeProblem(String className) {
        for (String method : ClassShape.bridgeMethodsOf(className)) {
            String problem = bridgeProblems.get(method);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

}
