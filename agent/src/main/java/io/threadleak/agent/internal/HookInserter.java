package io.threadleak.agent.internal;

import static io.threadleak.agent.internal.HookPoints.BRIDGE;
import static io.threadleak.agent.internal.HookPoints.FUTURE_TASK;
import static io.threadleak.agent.internal.HookPoints.TIMER;

import io.threadleak.agent.internal.HookPoints.Hook;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/** Adds the bridge calls where {@link HookPoints#hooksFor} says; {@link #hooked} lists the methods it hooked. */
final class HookInserter extends ClassVisitor {
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
        List<Hook> hooks = HookPoints.hooksFor(className, name, descriptor, access);
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
