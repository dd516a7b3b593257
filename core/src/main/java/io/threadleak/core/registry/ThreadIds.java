package io.threadleak.core.registry;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Reads a thread's JVM id without calling application code.
 *
 * <p>{@code Thread.threadId()} (JDK 19+) is final. On JDK 17 only the overridable {@code getId()} exists,
 * so a subclass that overrides it is detected (once per class) and its threads are reported as
 * {@code -1}: untracked rather than calling into the application from a hook.
 */
public final class ThreadIds {

    private static final MethodHandle THREAD_ID = findThreadId();
    private static final ThreadOverride OVERRIDES_GET_ID = new ThreadOverride("getId");

    private ThreadIds() {
    }

    private static MethodHandle findThreadId() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "threadId", MethodType.methodType(long.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    /** The thread's id, or -1 when it can only be read through application code. */
    @SuppressWarnings("deprecation")
    public static long of(Thread thread) {
        if (THREAD_ID != null) {
            try {
                return (long) THREAD_ID.invokeExact(thread);
            } catch (Throwable e) {
                return -1;
            }
        }
        if (OVERRIDES_GET_ID.of(thread)) {
            return -1;
        }
        return thread.getId();
    }
}
