package io.threadleak.core.sample;

import io.threadleak.core.registry.ThreadRecord;
import io.threadleak.core.site.CreationSite;

/**
 * One thread as seen in one sample.
 *
 * @param id          JVM thread id
 * @param name        current name
 * @param daemon      daemon flag
 * @param virtual     a virtual thread
 * @param state       the JVM state
 * @param activity    what the rules make of it
 * @param waitsOn     the object it waits on, or {@code null}
 * @param ownerId     id of the thread owning what it waits on, or -1
 * @param ownerName   name of that thread, or {@code null}
 * @param stack       current stack, innermost first (possibly truncated)
 * @param waitCount   times it entered BLOCKED/WAITING so far (platform threads), or -1 when unknown
 * @param record      the registry record, or {@code null} for a thread the agent never saw starting
 * @param exempt      a JDK/VM thread or one matching {@code ignoreThreads}: never a suspect
 * @param task        the task it runs, or {@code null}
 * @param waitsFor    the future it blocks on, or {@code null}
 * @param unchangedSinceNanos when the sampler first saw the thread as it is now (same state, same object waited on,
 *                    same wait count, so not woken in between), or -1 when the sampler does not follow the thread
 *                    from sample to sample (virtual threads, hand-made snapshots)
 */
public record ThreadSnapshot(
        long id,
        String name,
        boolean daemon,
        boolean virtual,
        Thread.State state,
        Activity activity,
        WaitTarget waitsOn,
        long ownerId,
        String ownerName,
        StackTraceElement[] stack,
        long waitCount,
        ThreadRecord record,
        boolean exempt,
        TaskView task,
        FutureView waitsFor,
        long unchangedSinceNanos) {

    /** A thread the sampler does not follow from sample to sample. */
    public ThreadSnapshot(long id, String name, boolean daemon, boolean virtual, Thread.State state,
                          Activity activity, WaitTarget waitsOn, long ownerId, String ownerName,
                          StackTraceElement[] stack, long waitCount, ThreadRecord record, boolean exempt,
                          TaskView task, FutureView waitsFor) {
        this(id, name, daemon, virtual, state, activity, waitsOn, ownerId, ownerName, stack, waitCount, record, exempt,
                task, waitsFor, -1);
    }

    /** A thread that runs no task and blocks on no future. */
    public ThreadSnapshot(long id, String name, boolean daemon, boolean virtual, Thread.State state,
                          Activity activity, WaitTarget waitsOn, long ownerId, String ownerName,
                          StackTraceElement[] stack, long waitCount, ThreadRecord record, boolean exempt) {
        this(id, name, daemon, virtual, state, activity, waitsOn, ownerId, ownerName, stack, waitCount, record, exempt,
                null, null);
    }

    /** The creation site, or {@code null} when unknown. */
    public CreationSite site() {
        return record == null ? null : record.site();
    }
}
