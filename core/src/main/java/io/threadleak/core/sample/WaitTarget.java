package io.threadleak.core.sample;

/**
 * The object a thread waits on, by class and identity only: the agent never calls {@code toString()} or
 * anything else on application objects.
 *
 * @param className the waited-on object's class
 * @param identity  its identity hash code
 */
public record WaitTarget(String className, int identity) {

    /** {@code java.util.concurrent.CountDownLatch$Sync@1b6d3586}: the form of thread dumps. */
    @Override
    public String toString() {
        return className + "@" + Integer.toHexString(identity);
    }

    /** The target of a {@code java.lang.management.LockInfo}, or {@code null}. */
    public static WaitTarget of(java.lang.management.LockInfo info) {
        return info == null ? null : new WaitTarget(info.getClassName(), info.getIdentityHashCode());
    }

    /** The target of a live blocker object, or {@code null}. */
    public static WaitTarget ofObject(Object blocker) {
        return blocker == null ? null : new WaitTarget(blocker.getClass().getName(), System.identityHashCode(blocker));
    }
}
