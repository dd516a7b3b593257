package io.threadleak.agent.internal;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

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
 * <p>Hook points, checked with {@code javap -p} on JDK 17 and 25 (see {@link #hookFor} and {@link #hooksFor}). A JDK
 * may change any of them, so nothing is woven on trust: a class is hooked only if it has every member its hooks
 * touch, with the expected descriptor ({@link ClassShape}), and the bridge has every method they call
 * ({@link BridgeCheck}); otherwise it is left untouched and reported as skipped. Classes are retransformed one at a
 * time, so one failure skips one class; {@link #rollback} takes every hook out again.
 */
public final class JdkInstrumentation implements ClassFileTransformer {

    static final String THREAD = "java/lang/Thread";
    static final String VIRTUAL_THREAD = "java/lang/VirtualThread";
    static final String TPE = "java/util/concurrent/ThreadPoolExecutor";
    static final String FJP = "java/util/concurrent/ForkJoinPool";
    static final String STPE = "java/util/concurrent/ScheduledThreadPoolExecutor";
    static final String FUTURE_TASK = "java/util/concurrent/FutureTask";
    static final String COMPLETABLE = "java/util/concurrent/CompletableFuture";
    static final String TIMER = "java/util/Timer";
    static final Set<String> TARGETS = Set.of(THREAD, VIRTUAL_THREAD, TPE, FJP, STPE, FUTURE_TASK,
            COMPLETABLE, TIMER);
    static final String BRIDGE = "io/threadleak/bootstrap/ThreadLeakBridge";
    /** The one TPE constructor the others delegate to (on JDK 17 and 25). */
    static final String TPE_CONSTRUCTOR = "(IIJLjava/util/concurrent/TimeUnit;"
            + "Ljava/util/concurrent/BlockingQueue;Ljava/util/concurrent/ThreadFactory;"
            + "Ljava/util/concurrent/RejectedExecutionHandler;)V";

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
     * Where a hook goes and which bridge method it calls: on entry, or before every return; with {@code this}
     * or, for task submissions, {@code this} and the submitted task (local {@code taskSlot}).
     */
    record Hook(String bridgeMethod, boolean atReturn, int taskSlot) {
        Hook(String bridgeMethod, boolean atReturn) {
            this(bridgeMethod, atReturn, -1);
        }

        String descriptor() {
            return BridgeCheck.DESCRIPTORS.get(bridgeMethod);
        }
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

    /**
     * The hook a method gets, or {@code null}:
     * <ul>
     * <li>{@code Thread.start()}, {@code Thread.start(ThreadContainer)} (21+: thread-per-task executors call
     *     it directly), the same two on {@code VirtualThread}: {@code threadStarting} on entry;</li>
     * <li>{@code Thread.exit()} (private; the VM calls it as a platform thread ends) and
     *     {@code VirtualThread.afterDone(boolean)}: {@code threadExiting} on entry;</li>
     * <li>the {@code ThreadPoolExecutor} constructor the others delegate to, and every {@code ForkJoinPool}
     *     constructor (the tracker ignores repeats): {@code executorCreated} before each return;</li>
     * <li>{@code ThreadPoolExecutor.runWorker(Worker)} and {@code ForkJoinPool.runWorker(WorkQueue)}, which
     *     a new worker thread enters: {@code workerRunning} on entry.</li>
     * </ul>
     * {@link #hooksFor} adds the task and future hooks, several per method where a method is entered and left:
     * <ul>
     * <li>{@code ThreadPoolExecutor.execute(Runnable)} (every {@code submit}/{@code invoke*} goes through it)
     *     and {@code ScheduledThreadPoolExecutor.delayedExecute} (every {@code schedule*}):
     *     {@code taskSubmitted(this, task)} on entry (it remembers nested submissions in the thread's slot and
     *     calls the agent only with {@code stacks=all}). Fork-join submissions are not hooked: on JDK 21+ the
     *     virtual thread scheduler is a {@code ForkJoinPool} and every unpark would pay for it;</li>
     * <li>{@code FutureTask.run()} and {@code runAndReset()} (periodic tasks): {@code taskRunning} on entry
     *     (nothing as they end: the sampler tells a finished task from the stack);</li>
     * <li>{@code FutureTask.cancel(boolean)}: {@code taskCancelling(this, this.runner)} on entry and
     *     {@code taskCancelled(result, this)} before each return;</li>
     * <li>{@code FutureTask.awaitDone}, {@code CompletableFuture.waitingGet}/{@code timedGet} (only reached
     *     when the result is not there yet): {@code futureWaiting} on entry, {@code futureWaitDone} before
     *     each return;</li>
     * <li>every {@code java.util.Timer} constructor: {@code timerCreated(this, this.thread)} before returning.</li>
     * </ul>
     */
    static List<Hook> hooksFor(String className, String method, String descriptor, int access) {
        if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_STATIC)) != 0) {
            return List.of();
        }
        switch (className + "." + method) {
            case TPE + ".execute":
                return descriptor.equals("(Ljava/lang/Runnable;)V")
                        ? List.of(new Hook("taskSubmitted", false, 1)) : List.of();
            case STPE + ".delayedExecute":
                return descriptor.equals("(Ljava/util/concurrent/RunnableScheduledFuture;)V")
                        ? List.of(new Hook("taskSubmitted", false, 1)) : List.of();
            case FUTURE_TASK + ".run":
            case FUTURE_TASK + ".runAndReset":
                return descriptor.equals("()V") || descriptor.equals("()Z")
                        ? List.of(new Hook("taskRunning", false)) : List.of();
            case FUTURE_TASK + ".cancel":
                return descriptor.equals("(Z)Z")
                        ? List.of(new Hook("taskCancelling", false), new Hook("taskCancelled", true)) : List.of();
            case FUTURE_TASK + ".awaitDone":
                return descriptor.equals("(ZJ)I") ? waitHooks() : List.of();
            case COMPLETABLE + ".waitingGet":
                return descriptor.equals("(Z)Ljava/lang/Object;") ? waitHooks() : List.of();
            case COMPLETABLE + ".timedGet":
                return descriptor.equals("(J)Ljava/lang/Object;") ? waitHooks() : List.of();
            case TIMER + ".<init>":
                return List.of(new Hook("timerCreated", true));
            default:
                Hook hook = hookFor(className, method, descriptor, access);
                return hook == null ? List.of() : List.of(hook);
        }
    }

    private static List<Hook> waitHooks() {
        return List.of(new Hook("futureWaiting", false), new Hook("futureWaitDone", true));
    }

    static Hook hookFor(String className, String method, String descriptor, int access) {
        if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_STATIC)) != 0) {
            return null;
        }
        switch (className + "." + method) {
            case THREAD + ".start":
            case VIRTUAL_THREAD + ".start":
                return descriptor.equals("()V") || descriptor.equals("(Ljdk/internal/vm/ThreadContainer;)V")
                        ? new Hook("threadStarting", false) : null;
            case THREAD + ".exit":
                return descriptor.equals("()V") ? new Hook("threadExiting", false) : null;
            case VIRTUAL_THREAD + ".afterDone":
                return descriptor.equals("(Z)V") ? new Hook("threadExiting", false) : null;
            case TPE + ".<init>":
                return descriptor.equals(TPE_CONSTRUCTOR) ? new Hook("executorCreated", true) : null;
            case FJP + ".<init>":
                return new Hook("executorCreated", true);
            case TPE + ".runWorker":
                return descriptor.equals("(L" + TPE + "$Worker;)V") ? new Hook("workerRunning", false) : null;
            case FJP + ".runWorker":
                return descriptor.equals("(L" + FJP + "$WorkQueue;)V") ? new Hook("workerRunning", false) : null;
            default:
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

    /** Adds the bridge calls where {@link #hooksFor} says. */
    private static final class HookInserter extends ClassVisitor {
        private final String className;
        final List<String> hooked = new ArrayList<>();

        HookInserter(ClassVisitor next, String className) {
            super(Opcodes.ASM9, next);
            this.className = className;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
            List<Hook> hooks = hooksFor(className, name, descriptor, access);
            if (hooks.isEmpty() || mv == null) {
                return mv;
            }
            hooked.add(name);
            return new MethodVisitor(Opcodes.ASM9, mv) {
                @Override
                public void visitCode() {
                    super.visitCode();
                    for (Hook hook : hooks) {
                        if (!hook.atReturn()) {
                            call(hook);
                        }
                    }
                }

                @Override
                public void visitInsn(int opcode) {
                    if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                        for (Hook hook : hooks) {
                            if (hook.atReturn()) {
                                call(hook);
                            }
                        }
                    }
                    super.visitInsn(opcode);
                }

                private void call(Hook hook) {
                    if (hook.bridgeMethod().equals("taskCancelled")) {
                        super.visitInsn(Opcodes.DUP); // the boolean being returned: whether it was cancelled
                    }
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    if (hook.taskSlot() >= 0) {
                        super.visitVarInsn(Opcodes.ALOAD, hook.taskSlot());
                    } else if (hook.bridgeMethod().equals("timerCreated")) {
                        super.visitVarInsn(Opcodes.ALOAD, 0);
                        super.visitFieldInsn(Opcodes.GETFIELD, TIMER, "thread", "Ljava/util/TimerThread;");
                    } else if (hook.bridgeMethod().equals("taskCancelling")) {
                        super.visitVarInsn(Opcodes.ALOAD, 0);
                        super.visitFieldInsn(Opcodes.GETFIELD, FUTURE_TASK, "runner", "Ljava/lang/Thread;");
                    }
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, hook.bridgeMethod(), hook.descriptor(), false);
                }
            };
        }
    }
}
