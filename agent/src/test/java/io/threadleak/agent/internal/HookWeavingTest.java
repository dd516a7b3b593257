package io.threadleak.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.threadleak.agent.internal.HookPoints.Hook;
import io.threadleak.bootstrap.ThreadLeakBridge;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.BasicVerifier;

/**
 * The transformer run on the real bytes of every instrumented JDK class of JDK 17 and JDK 25: the result passes
 * ASM's analyzer, every expected hook is placed, and a class whose shape is not what its hooks need is left untouched.
 */
class HookWeavingTest {

    private static final String BRIDGE = HookPoints.BRIDGE;
    private static final String CONTAINER = "(Ljdk/internal/vm/ThreadContainer;)V";

    /** The JDK under test: the one running the tests, or JDK 25 (skipped, not dropped, when absent). */
    private static JdkClassBytes jdk(String which) {
        if (which.equals("current")) {
            return JdkClassBytes.current();
        }
        assumeTrue(JdkClassBytes.exists(JdkClassBytes.JDK25), "JDK 25 not found at " + JdkClassBytes.JDK25
                + " (set -Dthreadleak.jdk25=<java home>)");
        return JdkClassBytes.of("jdk25", JdkClassBytes.JDK25);
    }

    /** Methods (name + descriptor) that must carry hooks, at the least, on a JDK of this feature release. */
    private static Set<String> mustBeHooked(String cls, int feature) {
        switch (cls) {
            case HookPoints.THREAD:
                return feature >= 21 ? Set.of("start()V", "exit()V", "start" + CONTAINER) : Set.of("start()V", "exit()V");
            case HookPoints.VIRTUAL_THREAD:
                return Set.of("start()V", "start" + CONTAINER, "afterDone(Z)V",
                        "<init>" + HookPoints.VIRTUAL_THREAD_CONSTRUCTOR);
            case HookPoints.TPE:
                return Set.of("<init>" + HookPoints.TPE_CONSTRUCTOR, "execute(Ljava/lang/Runnable;)V",
                        "runWorker(Ljava/util/concurrent/ThreadPoolExecutor$Worker;)V");
            case HookPoints.FJP:
                return Set.of("<init>()V", "runWorker(Ljava/util/concurrent/ForkJoinPool$WorkQueue;)V");
            case HookPoints.STPE:
                return Set.of("delayedExecute(Ljava/util/concurrent/RunnableScheduledFuture;)V");
            case HookPoints.FUTURE_TASK:
                return Set.of("run()V", "runAndReset()Z", "cancel(Z)Z", "awaitDone(ZJ)I");
            case HookPoints.COMPLETABLE:
                return Set.of("waitingGet(Z)Ljava/lang/Object;", "timedGet(J)Ljava/lang/Object;");
            case HookPoints.TIMER:
                return Set.of("<init>()V", "<init>(Z)V", "<init>(Ljava/lang/String;)V", "<init>(Ljava/lang/String;Z)V");
            default:
                throw new AssertionError(cls);
        }
    }

    private static ClassNode node(byte[] bytes) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, 0);
        return node;
    }

    private static int returns(MethodNode m) {
        int n = 0;
        for (AbstractInsnNode insn : m.instructions) {
            if (insn.getOpcode() >= Opcodes.IRETURN && insn.getOpcode() <= Opcodes.RETURN) {
                n++;
            }
        }
        return n;
    }

    private static List<MethodInsnNode> bridgeCalls(MethodNode m) {
        List<MethodInsnNode> out = new ArrayList<>();
        for (AbstractInsnNode insn : m.instructions) {
            if (insn instanceof MethodInsnNode && ((MethodInsnNode) insn).owner.equals(BRIDGE)) {
                out.add((MethodInsnNode) insn);
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} JDK")
    @ValueSource(strings = {"current", "25"})
    void everyInstrumentedClassIsWovenVerifiablyWithEveryExpectedHook(String which) throws Exception {
        int checked = 0;
        try (JdkClassBytes jdk = jdk(which)) {
            int feature = which.equals("current") ? Runtime.version().feature() : 25;
            assertEquals(Map.of(), BridgeCheck.problems(ThreadLeakBridge.class), "the bridge has every hook method");
            for (String cls : new TreeSet<>(HookPoints.TARGETS)) {
                byte[] original = jdk.read(cls);
                if (original == null) {
                    assertTrue(cls.equals(HookPoints.VIRTUAL_THREAD) && feature < 21, cls + " missing on " + jdk);
                    continue;
                }
                JdkInstrumentation transformer = JdkInstrumentation.checkedAgainst(ThreadLeakBridge.class);
                byte[] woven = transformer.transform(null, null, cls, null, null, original);
                assertNotNull(woven, cls + " on " + jdk + " was skipped: " + transformer.skipped());
                ClassNode before = node(original);
                ClassNode after = node(woven);
                verify(after, jdk);

                Set<String> hooked = new HashSet<>();
                for (int i = 0; i < after.methods.size(); i++) {
                    MethodNode m = after.methods.get(i);
                    MethodNode o = before.methods.get(i);
                    assertEquals(o.name + o.desc, m.name + m.desc, "methods keep their order");
                    List<Hook> hooks = HookPoints.hooksFor(cls, m.name, m.desc, m.access);
                    long entry = hooks.stream().filter(h -> !h.atReturn()).count();
                    long exit = hooks.stream().filter(Hook::atReturn).count();
                    List<MethodInsnNode> calls = bridgeCalls(m);
                    assertEquals(entry + exit * returns(o), calls.size(),
                            cls + "." + m.name + m.desc + " on " + jdk + ": one call per entry hook, one per return"
                                    + " per exit hook");
                    for (MethodInsnNode call : calls) {
                        assertEquals(BridgeCheck.DESCRIPTORS.get(call.name), call.desc, call.name);
                    }
                    if (!calls.isEmpty()) {
                        hooked.add(m.name + m.desc);
                    }
                }
                Set<String> missing = new TreeSet<>(mustBeHooked(cls, feature));
                missing.removeAll(hooked);
                assertEquals(Set.of(), missing, cls + " on " + jdk + ": hooks not placed");
                checked++;
            }
        }
        assertTrue(checked >= 7, "classes checked: " + checked);
    }

    /**
     * A virtual thread's end is recorded after the JDK wakes the threads joining it ({@code termination.countDown()}
     * in {@code afterDone}), so that a join does not wait for the agent's bookkeeping.
     */
    @Test
    void aVirtualThreadsEndIsRecordedAfterItsJoinersAreWoken() throws Exception {
        try (JdkClassBytes jdk = jdk("25")) {
            byte[] woven = JdkInstrumentation.checkedAgainst(ThreadLeakBridge.class)
                    .transform(null, null, HookPoints.VIRTUAL_THREAD, null, null, jdk.read(HookPoints.VIRTUAL_THREAD));
            MethodNode afterDone = node(woven).methods.stream()
                    .filter(m -> (m.name + m.desc).equals("afterDone(Z)V")).findFirst().orElseThrow();
            int wake = -1;
            int hook = -1;
            for (AbstractInsnNode insn : afterDone.instructions) {
                if (insn instanceof MethodInsnNode call) {
                    if (call.name.equals("countDown") && call.owner.equals("java/util/concurrent/CountDownLatch")) {
                        wake = afterDone.instructions.indexOf(insn);
                    } else if (call.owner.equals(BRIDGE) && call.name.equals("threadExiting")) {
                        hook = afterDone.instructions.indexOf(insn);
                    }
                }
            }
            assertTrue(wake >= 0, "afterDone no longer wakes joiners with CountDownLatch.countDown on " + jdk);
            assertTrue(hook > wake, "threadExiting at " + hook + ", joiners woken at " + wake + " on " + jdk);
        }
    }

    /** ASM's analyzer over every method, and every field the woven code reads (the loads right before each bridge
     *  call) is declared by the class with that descriptor. */
    private static void verify(ClassNode cls, JdkClassBytes jdk) {
        Set<String> fields = new HashSet<>();
        for (FieldNode f : cls.fields) {
            fields.add(f.name + ":" + f.desc);
        }
        for (MethodNode m : cls.methods) {
            try {
                new Analyzer<BasicValue>(new BasicVerifier()).analyze(cls.name, m);
            } catch (AnalyzerException e) {
                fail(cls.name + "." + m.name + m.desc + " on " + jdk + " does not verify: " + e.getMessage(), e);
            }
            for (MethodInsnNode call : bridgeCalls(m)) {
                for (AbstractInsnNode p = call.getPrevious(); p instanceof FieldInsnNode || p instanceof VarInsnNode;
                     p = p.getPrevious()) {
                    if (p instanceof FieldInsnNode) {
                        FieldInsnNode f = (FieldInsnNode) p;
                        assertEquals(cls.name, f.owner);
                        assertTrue(fields.contains(f.name + ":" + f.desc), cls.name + "." + m.name + " reads a field"
                                + " the class lacks: " + f.name + ":" + f.desc);
                    }
                }
            }
        }
    }

    // --- a class whose shape is unexpected is left untouched

    /** Real bytes with one member taken out. */
    private static byte[] without(byte[] bytes, String member) {
        ClassWriter writer = new ClassWriter(0);
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                return (name + ":" + descriptor).equals(member) ? null
                        : super.visitField(access, name, descriptor, signature, value);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                return (name + descriptor).equals(member) ? null
                        : super.visitMethod(access, name, descriptor, signature, exceptions);
            }
        }, 0);
        return writer.toByteArray();
    }

    @ParameterizedTest(name = "{0} JDK")
    @ValueSource(strings = {"current", "25"})
    void aClassMissingAFieldOrMethodItsHooksNeedIsLeftUntouched(String which) throws Exception {
        Map<String, String> cases = Map.of(
                HookPoints.FUTURE_TASK, "runner:Ljava/lang/Thread;",
                HookPoints.TIMER, "thread:Ljava/util/TimerThread;",
                HookPoints.THREAD, "exit()V",
                HookPoints.TPE, "execute(Ljava/lang/Runnable;)V",
                HookPoints.COMPLETABLE, "timedGet(J)Ljava/lang/Object;");
        try (JdkClassBytes jdk = jdk(which)) {
            for (Map.Entry<String, String> c : cases.entrySet()) {
                byte[] changed = without(jdk.read(c.getKey()), c.getValue());
                JdkInstrumentation transformer = JdkInstrumentation.checkedAgainst(ThreadLeakBridge.class);
                assertNull(transformer.transform(null, null, c.getKey(), null, null, changed),
                        c.getKey() + " without " + c.getValue() + " on " + jdk + " must stay as it is");
                String reason = transformer.skipped().get(c.getKey().replace('/', '.'));
                assertNotNull(reason, "skipped and named: " + transformer.skipped());
                assertTrue(reason.contains(c.getValue()), reason);
                assertEquals("", transformer.placed());
            }
        }
    }

    /** A bridge without the hook methods. */
    static final class EmptyBridge {
    }

    @Test
    void aBridgeWithoutAHookMethodLeavesTheClassesCallingItUntouched() throws Exception {
        try (JdkClassBytes jdk = JdkClassBytes.current()) {
            JdkInstrumentation transformer = JdkInstrumentation.checkedAgainst(EmptyBridge.class);
            assertNull(transformer.transform(null, null, HookPoints.THREAD, null, null,
                    jdk.read(HookPoints.THREAD)));
            assertTrue(transformer.skipped().get("java.lang.Thread").startsWith("bridge lacks threadStarting"),
                    transformer.skipped().toString());
        }
    }

    // --- retransformation: one class at a time, rolled back on demand

    @Test
    void oneClassFailingToRetransformSkipsThatClassOnlyAndRollbackTakesEveryHookOut() throws Exception {
        List<ClassFileTransformer> registered = new ArrayList<>();
        List<String> retransformed = new ArrayList<>();
        try (JdkClassBytes jdk = JdkClassBytes.current()) {
            Instrumentation inst = fakeInstrumentation(registered, retransformed, jdk,
                    c -> c.equals("java/util/Timer") ? "refused" : null);
            JdkInstrumentation hooks = JdkInstrumentation.install(inst, BridgeCheck.problems(ThreadLeakBridge.class));
            assertEquals(Set.of("java.util.Timer"), hooks.skipped().keySet(), hooks.skipped().toString());
            assertTrue(hooks.placed().contains("Thread.exit,start"), hooks.placed());
            assertTrue(hooks.placed().contains("FutureTask.awaitDone,cancel,run,runAndReset"), hooks.placed());
            assertTrue(!hooks.placed().contains("Timer"), hooks.placed());
            int hookedClasses = hooks.placed().split("; ").length;

            retransformed.clear();
            hooks.rollback(inst);
            assertEquals(List.of(), registered, "the transformer is removed");
            assertEquals(hookedClasses, retransformed.size(), "each hooked class is retransformed without it");
            assertEquals("", hooks.placed());
            assertEquals(List.of(), hooks.lateProblems(), "nothing went wrong after start-up");
        }
    }

    @Test
    void aClassThatCannotBeHookedAfterStartUpIsReportedForTheSampler() throws Exception {
        List<ClassFileTransformer> registered = new ArrayList<>();
        try (JdkClassBytes jdk = JdkClassBytes.current()) {
            JdkInstrumentation hooks = JdkInstrumentation.install(
                    fakeInstrumentation(registered, new ArrayList<>(), jdk, c -> null),
                    BridgeCheck.problems(ThreadLeakBridge.class));
            assertEquals(Map.of(), hooks.skipped());
            // later, someone retransforms FutureTask, whose bytes now lack a field
            byte[] changed = without(jdk.read(HookPoints.FUTURE_TASK), "runner:Ljava/lang/Thread;");
            assertNull(hooks.transform(null, null, HookPoints.FUTURE_TASK, null, null, changed));
            List<String> late = hooks.lateProblems();
            assertEquals(1, late.size(), late.toString());
            assertTrue(late.get(0).startsWith("java.util.concurrent.FutureTask left untouched: no field runner"),
                    late.get(0));
            assertEquals(List.of(), hooks.lateProblems(), "reported once");
        }
    }

    /** An {@code Instrumentation} that runs the registered transformer on the real bytes, and can refuse. */
    private static Instrumentation fakeInstrumentation(List<ClassFileTransformer> registered,
                                                       List<String> retransformed, JdkClassBytes jdk,
                                                       UnaryOperator<String> refusal) {
        return (Instrumentation) Proxy.newProxyInstance(HookWeavingTest.class.getClassLoader(),
                new Class<?>[] {Instrumentation.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "addTransformer":
                            registered.add((ClassFileTransformer) args[0]);
                            return null;
                        case "removeTransformer":
                            return registered.remove(args[0]);
                        case "retransformClasses":
                            for (Object o : (Object[]) args[0]) {
                                String name = ((Class<?>) o).getName().replace('.', '/');
                                retransformed.add(name);
                                for (ClassFileTransformer t : registered) {
                                    t.transform(null, null, name, (Class<?>) o, null, jdk.read(name));
                                }
                                String refused = refusal.apply(name);
                                if (refused != null) {
                                    throw new UnmodifiableClassException(refused);
                                }
                            }
                            return null;
                        default:
                            return method.getReturnType() == boolean.class ? Boolean.FALSE : null;
                    }
                });
    }
}
