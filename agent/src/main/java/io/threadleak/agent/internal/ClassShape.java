package io.threadleak.agent.internal;

import static io.threadleak.agent.internal.HookPoints.COMPLETABLE;
import static io.threadleak.agent.internal.HookPoints.FJP;
import static io.threadleak.agent.internal.HookPoints.FUTURE_TASK;
import static io.threadleak.agent.internal.HookPoints.STPE;
import static io.threadleak.agent.internal.HookPoints.THREAD;
import static io.threadleak.agent.internal.HookPoints.TIMER;
import static io.threadleak.agent.internal.HookPoints.TPE;
import static io.threadleak.agent.internal.HookPoints.TPE_CONSTRUCTOR;
import static io.threadleak.agent.internal.HookPoints.VIRTUAL_THREAD;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The members of a JDK class, read from its bytes, checked against what its hooks need before any hook is woven:
 * every hooked method (a renamed method would silently lose its hook) and every field the woven code reads (a
 * renamed field would make the JDK method throw {@code NoSuchFieldError} in the application), with the expected
 * descriptors. A class that does not have them all is left untouched, as a whole.
 */
final class ClassShape {

    /** What a target class must have: methods and fields as {@code name + descriptor}, and the bridge methods its
     *  hooks call. */
    private record Expected(List<String> methods, List<String> fields, List<String> bridgeMethods) {
    }

    private static final Map<String, Expected> EXPECTED = Map.of(
            THREAD, new Expected(List.of("start()V", "exit()V"), List.of(),
                    List.of("threadStarting", "threadExiting")),
            VIRTUAL_THREAD, new Expected(List.of("start()V", "afterDone(Z)V"), List.of(),
                    List.of("threadStarting", "threadExiting", "virtualThreadCreated")),
            TPE, new Expected(List.of("<init>" + TPE_CONSTRUCTOR, "execute(Ljava/lang/Runnable;)V",
                    "runWorker(L" + TPE + "$Worker;)V"), List.of(),
                    List.of("executorCreated", "workerRunning", "taskSubmitted")),
            FJP, new Expected(List.of("<init>()V", "runWorker(L" + FJP + "$WorkQueue;)V"), List.of(),
                    List.of("executorCreated", "workerRunning")),
            STPE, new Expected(List.of("delayedExecute(Ljava/util/concurrent/RunnableScheduledFuture;)V"), List.of(),
                    List.of("taskSubmitted")),
            FUTURE_TASK, new Expected(List.of("run()V", "runAndReset()Z", "cancel(Z)Z", "awaitDone(ZJ)I"),
                    List.of("runner:Ljava/lang/Thread;"),
                    List.of("taskRunning", "taskCancelling", "taskCancelled", "futureWaiting", "futureWaitDone")),
            COMPLETABLE, new Expected(List.of("waitingGet(Z)Ljava/lang/Object;", "timedGet(J)Ljava/lang/Object;"),
                    List.of(), List.of("futureWaiting", "futureWaitDone")),
            TIMER, new Expected(List.of("<init>()V"), List.of("thread:Ljava/util/TimerThread;"),
                    List.of("timerCreated")));

    private final Set<String> methods;
    private final Set<String> fields;

    private ClassShape(Set<String> methods, Set<String> fields) {
        this.methods = methods;
        this.fields = fields;
    }

    /** Reads the members (instance ones only: every hook is in an instance method and reads instance fields). */
    static ClassShape of(ClassReader reader) {
        Set<String> methods = new HashSet<>();
        Set<String> fields = new HashSet<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature,
                                           Object value) {
                if ((access & Opcodes.ACC_STATIC) == 0) {
                    fields.add(name + ":" + descriptor);
                }
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                if ((access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0) {
                    methods.add(name + descriptor);
                }
                return null;
            }
        }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return new ClassShape(methods, fields);
    }

    /** What is missing for this class's hooks, or {@code null} when it has everything. */
    String problem(String className) {
        Expected expected = EXPECTED.get(className);
        if (expected == null) {
            return "not a class the agent hooks";
        }
        for (String m : expected.methods()) {
            if (!methods.contains(m)) {
                return "no method " + m;
            }
        }
        for (String f : expected.fields()) {
            if (!fields.contains(f)) {
                return "no field " + f;
            }
        }
        if (className.equals(TIMER) && !timerThreadIsAThread()) {
            return "java.util.TimerThread is not a Thread";
        }
        return null;
    }

    /** The bridge methods a class's hooks call. */
    static List<String> bridgeMethodsOf(String className) {
        Expected expected = EXPECTED.get(className);
        return expected == null ? List.of() : expected.bridgeMethods();
    }

    /** The woven code passes {@code Timer.thread} where the bridge expects a {@code Thread}. */
    private static boolean timerThreadIsAThread() {
        try {
            return Thread.class.isAssignableFrom(Class.forName("java.util.TimerThread", false, null));
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
