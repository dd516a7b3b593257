package io.threadleak.bootstrap;

import static io.threadleak.bootstrap.ThreadSlotLayout.CHILDREN;
import static io.threadleak.bootstrap.ThreadSlotLayout.FIRST_CHILD;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What one thread is doing right now, written by that thread's hooks and read by the agent, laid out as
 * {@link ThreadSlotLayout} says: the task it runs, the future it blocks on and the latest tasks it submitted while
 * running that task, so that cancelling the task can tell its children. One per thread, made on its first task
 * or future hook. Writes are plain or release stores, no allocation: the task hooks run once per task, so they
 * must cost next to nothing. The agent's sampler empties entries that are over (compare-and-set), so that no
 * finished task or future stays reachable from here.
 *
 * <p>The agent sees it as an {@link AtomicReferenceArray}: only JDK types cross into the agent.
 */
final class ThreadSlot extends AtomicReferenceArray<Object> {

    private static final long serialVersionUID = 1L;

    /** Non-zero while the thread is inside a hook: calls made then are ignored (no recursion). */
    int depth;
    /** The start key noted as this thread constructed a virtual thread, and that thread's id; for its start. */
    Object startKey;
    long startKeyThread = -1;
    /** The id of the virtual thread whose start this thread handled last, or -1 (its start hooks come in pairs). */
    long startedVirtual = -1;
    /** Whether the agent has been handed this slot. */
    boolean announced;
    /** Child tasks submitted while running the current task. */
    int children;
    /** Set while this thread is inside {@code FutureTask.cancel}: the task, and what its runner's children were. */
    Object cancelling;
    Object cancellingChildren;
    Thread cancellingRunner;
    /** The scopes open on this thread, innermost first ({@link ScopeBridge}), or {@code null}. */
    ThreadScope.Frame scopes;

    ThreadSlot() {
        super(ThreadSlotLayout.LENGTH);
    }

    /** Remembers a task submitted while the current task runs (overwriting the oldest beyond {@code CHILDREN}). */
    void child(Object task) {
        setRelease(FIRST_CHILD + (children++ & (CHILDREN - 1)), task);
    }

    /** Forgets the children, as the next task starts. */
    void clearChildren() {
        if (children != 0) {
            children = 0;
            for (int i = FIRST_CHILD; i < FIRST_CHILD + CHILDREN; i++) {
                setRelease(i, null);
            }
        }
    }

    /** Forgets what this thread's {@code FutureTask.cancel} was doing. */
    void endCancel() {
        cancelling = null;
        cancellingChildren = null;
        cancellingRunner = null;
    }
}
