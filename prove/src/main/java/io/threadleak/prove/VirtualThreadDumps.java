package io.threadleak.prove;

/**
 * Whether a heap dump shows what virtual threads hold. Before JDK 22 (JDK-8299426, redone as JDK-8321565 and
 * shipped in JDK 22) HotSpot's heap dumper wrote no stack references of unmounted virtual threads: whatever only a
 * parked virtual thread's stack holds looks unreachable in the dump, so a latch such a thread could still count
 * down would look abandoned and its waiter would be proven wrongly. On JDK 19 to 21 a JVM that has virtual threads
 * is therefore refused; one that has none (most services) is proven as usual.
 *
 * <p>This machine's tests run JDK 17 and 25 only, so the JDK 21 branch is tested with synthetic inputs
 * ({@code VirtualThreadDumpsTest}).
 */
final class VirtualThreadDumps {

    /** The first JDK whose heap dumps write the stacks of unmounted virtual threads. */
    static final int FIRST_COMPLETE = 22;
    /** The first JDK with virtual threads (a preview in 19 and 20). */
    static final int FIRST_WITH_VIRTUAL_THREADS = 19;

    private VirtualThreadDumps() {
    }

    /** Whether a dump of this JDK may have to be refused, so whether to look for virtual threads in it at all. */
    static boolean mayRefuse(int jdkFeature) {
        return jdkFeature >= FIRST_WITH_VIRTUAL_THREADS && jdkFeature < FIRST_COMPLETE;
    }

    /**
     * Why nothing can be proven from a dump of this JVM, or {@code null} when the dump shows every thread's stack.
     *
     * @param jdkFeature           the target's feature version (17, 21, 25...)
     * @param virtualThreadsExist  whether the dump holds any {@code java.lang.VirtualThread}
     */
    static String refusal(int jdkFeature, boolean virtualThreadsExist) {
        if (!virtualThreadsExist || !mayRefuse(jdkFeature)) {
            return null;
        }
        return "JDK " + jdkFeature + " does not write the stacks of unmounted virtual threads into heap dumps (JDK "
                + FIRST_COMPLETE + "+ does) and this JVM has virtual threads: what they hold is invisible, so nothing"
                + " is proven";
    }
}
