package io.threadleak.agent.internal;

import io.threadleak.bootstrap.ThreadLeakBridge;
import net.bytebuddy.asm.Advice;

/** Inlined at the start of {@code Thread.exit()} and of a virtual thread's {@code afterDone}. */
public final class ThreadExitAdvice {

    private ThreadExitAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Thread thread) {
        ThreadLeakBridge.threadExiting(thread);
    }
}
