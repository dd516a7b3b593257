package io.threadleak.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.agent.internal.HookPoints.Hook;
import io.threadleak.bootstrap.ThreadLeakBridge;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

class JdkInstrumentationTest {

    private static final String TPE = "java/util/concurrent/ThreadPoolExecutor";
    private static final String STPE = "java/util/concurrent/ScheduledThreadPoolExecutor";
    private static final String FJP = "java/util/concurrent/ForkJoinPool";
    private static final String FUTURE_TASK = "java/util/concurrent/FutureTask";
    private static final String CF = "java/util/concurrent/CompletableFuture";
    private static final String TIMER = "java/util/Timer";
    private static final String BRIDGE = "io/threadleak/bootstrap/ThreadLeakBridge";
    private static final int PUBLIC = Opcodes.ACC_PUBLIC;
    private static final int PRIVATE = Opcodes.ACC_PRIVATE;

    private static List<Hook> hooks(String cls, String method, String desc, int access) {
        return HookPoints.hooksFor(cls, method, desc, access);
    }

    // --- which methods get which hooks

    @Test
    void submissionsGetTaskSubmittedWithTheTaskOnEntry() {
        assertEquals(List.of(new Hook("taskSubmitted", false, 1)),
                hooks(TPE, "execute", "(Ljava/lang/Runnable;)V", PUBLIC));
        assertEquals(List.of(new Hook("taskSubmitted", false, 1)),
                hooks(STPE, "delayedExecute", "(Ljava/util/concurrent/RunnableScheduledFuture;)V", PRIVATE));
        assertEquals(List.of(), hooks(TPE, "execute", "(Ljava/lang/Object;)V", PUBLIC), "another descriptor");
        assertEquals(List.of(), hooks(STPE, "delayedExecute", "(Ljava/lang/Runnable;)V", PRIVATE));
        assertEquals(List.of(), hooks(STPE, "execute", "(Ljava/lang/Runnable;)V", PUBLIC),
                "STPE.execute goes through schedule and delayedExecute");
        assertEquals(List.of(), hooks(FJP, "execute", "(Ljava/lang/Runnable;)V", PUBLIC), "fork-join: not hooked");
        assertEquals(List.of(), hooks(TPE, "submit", "(Ljava/lang/Runnable;)Ljava/util/concurrent/Future;", PUBLIC));
    }

    @Test
    void futureTaskRunAndRunAndResetReportTheTaskOnEntryOnly() {
        List<Hook> entry = List.of(new Hook("taskRunning", false));
        assertEquals(entry, hooks(FUTURE_TASK, "run", "()V", PUBLIC));
        assertEquals(entry, hooks(FUTURE_TASK, "runAndReset", "()Z", Opcodes.ACC_PROTECTED));
        assertEquals(List.of(), hooks(FUTURE_TASK, "get", "()Ljava/lang/Object;", PUBLIC));
        assertEquals(List.of(), hooks(FUTURE_TASK, "set", "(Ljava/lang/Object;)V", Opcodes.ACC_PROTECTED));
    }

    @Test
    void futureTaskCancelReportsItsRunnerOnEntryAndItsResultBeforeReturning() {
        assertEquals(List.of(new Hook("taskCancelling", false), new Hook("taskCancelled", true)),
                hooks(FUTURE_TASK, "cancel", "(Z)Z", PUBLIC));
        assertEquals("(Ljava/lang/Object;Ljava/lang/Thread;)V", new Hook("taskCancelling", false).descriptor());
        assertEquals(List.of(), hooks(FUTURE_TASK, "cancel", "()Z", PUBLIC), "another descriptor");
        assertEquals("(ZLjava/lang/Object;)V", new Hook("taskCancelled", true).descriptor());
    }

    @Test
    void futureWaitsAreBracketed() {
        List<Hook> bracket = List.of(new Hook("futureWaiting", false), new Hook("futureWaitDone", true));
        assertEquals(bracket, hooks(FUTURE_TASK, "awaitDone", "(ZJ)I", PRIVATE));
        assertEquals(bracket, hooks(CF, "waitingGet", "(Z)Ljava/lang/Object;", PRIVATE));
        assertEquals(bracket, hooks(CF, "timedGet", "(J)Ljava/lang/Object;", PRIVATE));
        assertEquals(List.of(), hooks(CF, "get", "()Ljava/lang/Object;", PUBLIC));
        assertEquals(List.of(), hooks(CF, "join", "()Ljava/lang/Object;", PUBLIC));
    }

    @Test
    void timerConstructorsReportTheTimerAndItsThread() {
        assertEquals(List.of(new Hook("timerCreated", true)), hooks(TIMER, "<init>", "()V", PUBLIC));
        assertEquals(List.of(new Hook("timerCreated", true)), hooks(TIMER, "<init>", "(Ljava/lang/String;Z)V", PUBLIC));
        assertEquals("(Ljava/lang/Object;Ljava/lang/Thread;)V", new Hook("timerCreated", true).descriptor());
        assertEquals(List.of(), hooks(TIMER, "cancel", "()V", PUBLIC));
        assertEquals(List.of(), hooks(TIMER, "schedule", "(Ljava/util/TimerTask;J)V", PUBLIC));
    }

    @Test
    void staticAbstractAndNativeMethodsGetNoHook() {
        for (int flag : new int[] {Opcodes.ACC_STATIC, Opcodes.ACC_ABSTRACT, Opcodes.ACC_NATIVE}) {
            assertEquals(List.of(), hooks(TPE, "execute", "(Ljava/lang/Runnable;)V", PUBLIC | flag));
            assertEquals(List.of(), hooks(FUTURE_TASK, "run", "()V", PUBLIC | flag));
            assertEquals(List.of(), hooks(FUTURE_TASK, "cancel", "(Z)Z", PUBLIC | flag));
            assertEquals(List.of(), hooks(CF, "waitingGet", "(Z)Ljava/lang/Object;", PRIVATE | flag));
            assertEquals(List.of(), hooks(TIMER, "<init>", "()V", PUBLIC | flag));
            assertEquals(List.of(), hooks("java/lang/Thread", "start", "()V", PUBLIC | flag));
        }
    }

    @Test
    void threadAndExecutorHooksAreStillThere() {
        assertEquals(List.of(new Hook("threadStarting", false)), hooks("java/lang/Thread", "start", "()V", PUBLIC));
        assertEquals(List.of(new Hook("threadExiting", false)), hooks("java/lang/Thread", "exit", "()V", PRIVATE));
        assertEquals(List.of(new Hook("workerRunning", false)),
                hooks(TPE, "runWorker", "(Ljava/util/concurrent/ThreadPoolExecutor$Worker;)V", 0));
        assertEquals(List.of(new Hook("executorCreated", true)), hooks(FJP, "<init>", "()V", PUBLIC));
        assertEquals(List.of(), hooks(TPE, "<init>", "(IIJLjava/util/concurrent/TimeUnit;"
                + "Ljava/util/concurrent/BlockingQueue;)V", PUBLIC), "only the constructor the others delegate to");
        assertEquals(List.of(), hooks("java/lang/Object", "toString", "()Ljava/lang/String;", PUBLIC));
    }

    @Test
    void everyHookCallsABridgeMethodThatExistsWithItsDescriptor() {
        List<Hook> all = new ArrayList<>();
        all.addAll(hooks(TPE, "execute", "(Ljava/lang/Runnable;)V", PUBLIC));
        all.addAll(hooks(FUTURE_TASK, "run", "()V", PUBLIC));
        all.addAll(hooks(FUTURE_TASK, "cancel", "(Z)Z", PUBLIC));
        all.addAll(hooks(FUTURE_TASK, "awaitDone", "(ZJ)I", PRIVATE));
        all.addAll(hooks(TIMER, "<init>", "()V", PUBLIC));
        all.addAll(hooks("java/lang/Thread", "start", "()V", PUBLIC));
        all.addAll(hooks("java/lang/Thread", "exit", "()V", PRIVATE));
        all.addAll(hooks(FJP, "<init>", "()V", PUBLIC));
        all.addAll(hooks(FJP, "runWorker", "(Ljava/util/concurrent/ForkJoinPool$WorkQueue;)V", 0));
        assertEquals(11, all.size());
        for (Hook h : all) {
            MethodType type = MethodType.fromMethodDescriptorString(h.descriptor(), getClass().getClassLoader());
            Method m;
            try {
                m = ThreadLeakBridge.class.getMethod(h.bridgeMethod(), type.parameterArray());
            } catch (NoSuchMethodException e) {
                throw new AssertionError("no bridge method " + h.bridgeMethod() + h.descriptor(), e);
            }
            assertTrue(Modifier.isStatic(m.getModifiers()), h.toString());
            assertEquals(void.class, m.getReturnType(), h.toString());
        }
    }

    // --- the hooks written into the real JDK classes

    /** A bridge call or a return, in the order met in one method. */
    private record Insn(String what) {
    }

    /** Transforms a JDK class as the agent would. */
    private static byte[] transformed(String className) throws Exception {
        ClassFileTransformer t = JdkInstrumentation.checkedAgainst(ThreadLeakBridge.class);
        byte[] original = read(className);
        assertNull(t.transform(Object.class.getModule(), JdkInstrumentationTest.class.getClassLoader(), className,
                null, null, original), "only the bootstrap loader's classes");
        assertNull(t.transform(Object.class.getModule(), null, "java/util/ArrayList", null, null, read(
                "java/util/ArrayList")), "not a target");
        byte[] out = t.transform(Object.class.getModule(), null, className, null, null, original);
        assertNotNull(out, className);
        return out;
    }

    private static byte[] read(String className) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(className + ".class")) {
            assertNotNull(in, className);
            return in.readAllBytes();
        }
    }

    /** Per method (name + descriptor): the bridge calls (with the loads before them) and the returns. */
    private static Map<String, List<String>> calls(byte[] bytes) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                List<String> seen = new ArrayList<>();
                out.put(name + descriptor, seen);
                return new MethodVisitor(Opcodes.ASM9) {
                    private String pending = "";

                    @Override
                    public void visitVarInsn(int opcode, int var) {
                        pending += (opcode == Opcodes.ALOAD ? "aload" : "load") + var + " ";
                    }

                    @Override
                    public void visitFieldInsn(int opcode, String owner, String field, String desc) {
                        pending += "getfield." + field + " ";
                    }

                    @Override
                    public void visitInsn(int opcode) {
                        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                            seen.add("return");
                        }
                        pending = opcode == Opcodes.DUP ? "dup " : "";
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String owner, String m, String desc, boolean itf) {
                        if (owner.equals(BRIDGE)) {
                            seen.add(pending + m + desc);
                        }
                        pending = "";
                    }

                    @Override
                    public void visitJumpInsn(int opcode, net.bytebuddy.jar.asm.Label label) {
                        pending = "";
                    }

                    @Override
                    public void visitTypeInsn(int opcode, String type) {
                        pending = "";
                    }

                    @Override
                    public void visitLdcInsn(Object value) {
                        pending = "";
                    }

                    @Override
                    public void visitIntInsn(int opcode, int operand) {
                        pending = "";
                    }
                };
            }
        }, 0);
        return out;
    }

    /** How many entries are {@code what}, or for a bridge call, end with it (loads of the return value may come
     *  before the hook's own loads). */
    private static long count(List<String> seen, String what) {
        return seen.stream().filter(s -> what.equals("return") ? s.equals(what)
                : s.equals(what) || s.endsWith(" " + what)).count();
    }

    @Test
    void futureTaskIsHookedWhereTheListSays() throws Exception {
        Map<String, List<String>> calls = calls(transformed(FUTURE_TASK));
        for (String m : List.of("run()V", "runAndReset()Z")) {
            List<String> seen = calls.get(m);
            assertNotNull(seen, m);
            assertEquals("aload0 taskRunning(Ljava/lang/Object;)V", seen.get(0), m + ": on entry " + seen);
            assertEquals(1, seen.stream().filter(c -> c.contains("ThreadLeak") || c.contains("task")).count(),
                    m + ": one hook, nothing as it returns " + seen);
        }
        List<String> cancel = calls.get("cancel(Z)Z");
        long returns = count(cancel, "return");
        assertTrue(returns >= 1);
        assertEquals(returns, count(cancel, "dup aload0 taskCancelled(ZLjava/lang/Object;)V"), cancel.toString());
        List<String> await = calls.get("awaitDone(ZJ)I");
        assertNotNull(await, calls.keySet().toString());
        assertEquals("aload0 futureWaiting(Ljava/lang/Object;)V", await.get(0));
        assertEquals(count(await, "return"), count(await, "aload0 futureWaitDone(Ljava/lang/Object;)V"));
        for (Map.Entry<String, List<String>> e : calls.entrySet()) {
            if (!List.of("run()V", "runAndReset()Z", "cancel(Z)Z", "awaitDone(ZJ)I").contains(e.getKey())) {
                assertTrue(e.getValue().stream().allMatch(s -> s.equals("return")), e.getKey() + " " + e.getValue());
            }
        }
    }

    @Test
    void threadPoolExecutorSubmissionsPassTheTask() throws Exception {
        Map<String, List<String>> calls = calls(transformed(TPE));
        assertEquals("aload0 aload1 taskSubmitted(Ljava/lang/Object;Ljava/lang/Object;)V",
                calls.get("execute(Ljava/lang/Runnable;)V").get(0));
    }

    @Test
    void timerConstructorsPassTheTimerThread() throws Exception {
        Map<String, List<String>> calls = calls(transformed(TIMER));
        int constructors = 0;
        for (Map.Entry<String, List<String>> e : calls.entrySet()) {
            if (!e.getKey().startsWith("<init>")) {
                continue;
            }
            constructors++;
            assertEquals(count(e.getValue(), "return"), count(e.getValue(),
                    "aload0 aload0 getfield.thread timerCreated(Ljava/lang/Object;Ljava/lang/Thread;)V"),
                    e.getKey() + " " + e.getValue());
        }
        assertTrue(constructors >= 4, "Timer has four public constructors");
    }

    @Test
    void completableFutureWaitsAreBracketed() throws Exception {
        Map<String, List<String>> calls = calls(transformed(CF));
        for (String m : List.of("waitingGet(Z)Ljava/lang/Object;", "timedGet(J)Ljava/lang/Object;")) {
            List<String> seen = calls.get(m);
            assertNotNull(seen, m + " in " + calls.keySet());
            assertEquals("aload0 futureWaiting(Ljava/lang/Object;)V", seen.get(0));
            assertEquals(count(seen, "return"), count(seen, "aload0 futureWaitDone(Ljava/lang/Object;)V"));
        }
    }
}
