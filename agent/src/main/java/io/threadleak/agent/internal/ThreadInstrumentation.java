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
 * Retransforms {@code java.lang.Thread} and {@code java.lang.VirtualThread} (JDK 21+) so that starting and
 * ending a thread calls the bridge: one {@code invokestatic} at the entry of each hook method, nothing else.
 * No member is added, so retransforming the already loaded classes is allowed, and no stack map frame
 * changes (the call leaves the operand stack as it found it).
 *
 * <p>The call is written with the ASM that ByteBuddy bundles. ByteBuddy's {@code Advice} would inline the
 * same call but loads about a thousand classes to do it, which cost the host 300-400 ms of start-up, and its
 * {@code AgentBuilder} set-up touches {@code sun.misc.Unsafe} (a warning on JDK 24+). The bridge itself
 * catches every failure, which is what {@code Advice}'s {@code suppress} would have added.
 *
 * <p>Hook points, checked with {@code javap -p} on JDK 17 and 25: {@code Thread.start()} on both,
 * {@code Thread.start(ThreadContainer)} on 21+ (thread-per-task executors call it directly),
 * {@code VirtualThread.start()} and {@code start(ThreadContainer)}, {@code Thread.exit()} (private; the VM
 * calls it as a platform thread ends) and {@code VirtualThread.afterDone(boolean)} for virtual threads.
 */
public final class ThreadInstrumentation implements ClassFileTransformer {

    private static final Set<String> TARGETS = Set.of("java/lang/Thread", "java/lang/VirtualThread");
    private static final String BRIDGE = "io/threadleak/bootstrap/ThreadLeakBridge";
    private static final String HOOK_DESCRIPTOR = "(Ljava/lang/Thread;)V";

    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());

    private ThreadInstrumentation() {
    }

    /** Installs the hooks; returns the problems met (empty when all went well). */
    public static List<String> install(Instrumentation inst) {
        ThreadInstrumentation transformer = new ThreadInstrumentation();
        List<Class<?>> classes = new ArrayList<>();
        for (String name : TARGETS) {
            try {
                classes.add(Class.forName(name.replace('/', '.'), false, null));
            } catch (ClassNotFoundException e) {
                // VirtualThread exists from JDK 21 on
            }
        }
        inst.addTransformer(transformer, true);
        try {
            inst.retransformClasses(classes.toArray(new Class<?>[0]));
        } catch (Exception | LinkageError e) {
            transformer.errors.add("retransformation failed: " + e);
        } finally {
            inst.removeTransformer(transformer);
        }
        return List.copyOf(transformer.errors);
    }

    /** Which bridge method a method of a target class calls on entry, or {@code null} for none. */
    static String hookFor(String className, String method, String descriptor, int access) {
        if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_STATIC)) != 0) {
            return null;
        }
        switch (method) {
            case "start":
                return descriptor.equals("()V") || descriptor.equals("(Ljdk/internal/vm/ThreadContainer;)V")
                        ? "threadStarting" : null;
            case "exit":
                return className.equals("java/lang/Thread") && descriptor.equals("()V") ? "threadExiting" : null;
            case "afterDone":
                return className.equals("java/lang/VirtualThread") && descriptor.equals("(Z)V")
                        ? "threadExiting" : null;
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

    /** Adds {@code ThreadLeakBridge.<hook>(this)} at the entry of each hook method. */
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
            String hook = hookFor(className, name, descriptor, access);
            if (hook == null || mv == null) {
                return mv;
            }
            hooked++;
            return new MethodVisitor(Opcodes.ASM9, mv) {
                @Override
                public void visitCode() {
                    super.visitCode();
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, hook, HOOK_DESCRIPTOR, false);
                }
            };
        }
    }
}
