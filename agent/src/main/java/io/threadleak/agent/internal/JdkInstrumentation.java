package io.threadleak.agent.internal;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
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
 * <p>Hook points, checked with {@code javap -p} on JDK 17 and 25 (see {@link #hookFor} and {@link #hooksFor}).
 */
public final class JdkInstrumentation implements ClassFileTransformer {

    private static final String THREAD = "java/lang/Thread";
    private static final String VIRTUAL_THREAD = "java/lang/VirtualThread";
    private static final String TPE = "java/util/concurrent/ThreadPoolExecutor";
    private static final String FJP = "java/util/concurrent/ForkJoinPool";
    private static final String STPE = "java/util/concurrent/ScheduledThreadPoolExecutor";
    private static final String FUTURE_TASK = "java/util/concurrent/FutureTask";
    private static final String COMPLETABLE = "java/util/concurrent/CompletableFuture";
    private static final String TIMER = "java/util/Timer";
    private static final Set<String> TARGETS = Set.of(THREAD, VIRTUAL_THREAD, TPE, FJP, STPE, FUTURE_TASK,
            COMPLETABLE, TIMER);
    private static final String BRIDGE = "io/threadleak/bootstrap/ThreadLeakBridge";
    /** The one TPE constructor the others delegate to (on JDK 17 and 25). */
    private static final String TPE_CONSTRUCTOR = "(IIJLjava/util/concurrent/TimeUnit;"
            + "Ljava/util/concurrent/BlockingQueue;Ljava/util/concurrent/ThreadFactory;"
            + "Ljava/util/concurrent/RejectedExecutionHandler;)V";

    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());

    private JdkInstrumentation() {
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
            if (bridgeMethod.equals("taskCancelled")) {
                return "(ZLjava/lang/Object;)V";
            }
            if (bridgeMethod.equals("timerCreated") || bridgeMethod.equals("taskCancelling")) {
                return "(Ljava/lang/Object;Ljava/lang/Thread;)V";
            }
            if (taskSlot >= 0) {
                return "(Ljava/lang/Object;Ljava/lang/Object;)V";
            }
            return bridgeMethod.startsWith("thread") ? "(Ljava/lang/Thread;)V" : "(Ljava/lang/Object;)V";
        }
    }

    /** Installs the hooks; returns the problems met (empty when all went well). */
    public static List<String> install(Instrumentation inst) {
        JdkInstrumentation transformer = new JdkInstrumentation();
        List<Class<?>> loaded = new ArrayList<>();
        for (String name : TARGETS) {
            Class<?> c = loadedBootClass(name.replace('/', '.'));
            if (c != null) {
                loaded.add(c);
            }
        }
        inst.addTransformer(transformer, true);
        try {
            inst.retransformClasses(loaded.toArray(new Class<?>[0]));
        } catch (Exception | LinkageError e) {
            transformer.errors.add("retransformation failed: " + e);
        }
        return List.copyOf(transformer.errors);
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
            case COMPLETABLE + ".waitingGet":
            case COMPLETABLE + ".timedGet":
                return List.of(new Hook("futureWaiting", false), new Hook("futureWaitDone", true));
            case TIMER + ".<init>":
                return List.of(new Hook("timerCreated", true));
            default:
                Hook hook = hookFor(className, method, descriptor, access);
                return hook == null ? List.of() : List.of(hook);
        }
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
            case FJP + ".runWorker":
                return new Hook("workerRunning", false);
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
        try {
            ClassReader reader = new ClassReader(bytes);
            ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
            HookInserter inserter = new HookInserter(writer, className);
            reader.accept(inserter, 0);
            if (inserter.hooked == 0) {
                errors.add(className + ": no hook method found");
                return null;
            }
            return writer.toByteArray();
        } catch (Throwable t) {
            errors.add(className + ": " + t);
            return null;
        }
    }

    /** Adds the bridge calls where {@link #hooksFor} says. */
    private static final class HookInserter extends ClassVisitor {
        private final String className;
        int hooked;

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
            hooked++;
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
