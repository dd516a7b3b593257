package io.threadleak.agent.internal;

import io.threadleak.bootstrap.ThreadLeakBridge;
import net.bytebuddy.asm.Advice;

/** Inlined at the start of {@code Thread.start} (and its JDK 21+ variants): one call into the bridge. */
public final class ThreadStartAdvice {

    private ThreadStartAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Thread thread) {
        ThreadLeakBridge.threadStarting(thread);
    }
}
