package io.threadleak.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The bridge as the JDK calls it, with hooks that record what reaches them. The bridge installs once per JVM, so
 * this is the only test class that installs it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreadLeakBridgeTest {

    /** Records the calls; {@code throwing} makes every call fail. */
    static final class Recorder implements ThreadHooks {
        final List<String> calls = new ArrayList<>();
        volatile boolean throwing;
        volatile AtomicReferenceArray<Object> slot;

        private void record(String call) {
            if (throwing) {
                throw new IllegalStateException("injected");
            }
            synchronized (calls) {
                calls.add(call);
            }
        }

        @Override
        public void threadStarting(Thread thread, List<StackWalker.StackFrame> head, Object key) {
            record("starting " + thread.getName());
        }

        @Override
        public Object startKey(Thread virtualThread, Object task) {
            record("key");
            return null;
        }

        @Override
        public Object platformStartKey(Thread thread) {
            return null;
        }

        @Override
        public boolean threadStartingKnown(Thread thread, Object key, boolean needsRecord) {
            return false;
        }

        @Override
        public boolean isTracked(Thread thread) {
            return false;
        }

        @Override
        public boolean endsCreationStack(String className) {
            return true;
        }

        @Override
        public int creationStackDepth() {
            return 4;
        }

        @Override
        public void threadExiting(Thread thread) {
            record("exiting " + thread.getName());
        }

        @Override
        public void executorCreated(Object executor) {
            record("executor " + executor);
        }

        @Override
        public void workerRunning(Object executor) {
            record("worker " + executor);
        }

        @Override
        public void taskSubmitted(Object executor, Object task, Object parent, List<StackWalker.StackFrame> head) {
            record("submitted " + task);
        }

        @Override
        public Object childrenOf(Thread runner) {
            record("childrenOf " + runner.getName());
            return "children";
        }

        @Override
        public void taskCancelled(Object task, Thread runner, Object children) {
            record("cancelled " + task + " " + (runner == null ? null : runner.getName()) + " " + children);
        }

        @Override
        public boolean tasksWithStacks() {
            return false;
        }

        @Override
        public void threadSlot(Thread thread, AtomicReferenceArray<Object> slot) {
            this.slot = slot;
            record("slot " + thread.getName());
        }

        @Override
        public void timerCreated(Object timer, Thread timerThread) {
            record("timer " + timer);
        }

        @Override
        public void threadScoped(Thread thread, Object scope) {
            record("scoped " + thread.getName() + " " + (scope == null ? null : ((ThreadScope) scope).name()));
        }

        @Override
        public Object[] scopeLeftovers(Object scope) {
            return new Object[] {"leftovers of " + ((ThreadScope) scope).name()};
        }

        List<String> take() {
            synchronized (calls) {
                List<String> out = List.copyOf(calls);
                calls.clear();
                return out;
            }
        }
    }

    static final Recorder HOOKS = new Recorder();

    @BeforeAll
    static void install() {
        ThreadLeakBridge.taskSubmitted("before", "install"); // a no-op until installed
        assertTrue(ThreadLeakBridge.install(HOOKS));
    }

    /** First: task tracking is still off (a cancellation of a running task turns it on for the JVM). */
    @Test
    @Order(1)
    void cancellingATaskNoThreadRunsCostsNothingWhileTaskTrackingIsOff() throws Exception {
        Thread t = new Thread(() -> {
            ThreadLeakBridge.taskCancelling("delayer", null); // CompletableFuture.orTimeout, on every completion
            ThreadLeakBridge.taskCancelled(true, "delayer");
            ThreadLeakBridge.taskRunning("task"); // off: no slot either
            ThreadLeakBridge.taskSubmitted("pool", "child");
        }, "orTimeout-completer");
        t.start();
        t.join();
        assertEquals(List.of(), HOOKS.take(), "nothing recorded, no slot handed over");
    }

    @Test
    void installIsOneShot() {
        assertFalse(ThreadLeakBridge.install(null), "null does not switch the agent off");
        assertFalse(ThreadLeakBridge.install(new Recorder()), "nor does another implementation replace it");
        assertTrue(ThreadLeakBridge.installed());
        ThreadLeakBridge.executorCreated("pool");
        assertEquals(List.of("executor pool"), HOOKS.take());
    }

    @Test
    void theSlotIsLaidOutAsThreadSlotLayoutSays() throws Exception {
        Thread t = new Thread(() -> {
            ThreadLeakBridge.taskCancelling("first", Thread.currentThread()); // turns task tracking on
            ThreadLeakBridge.taskCancelled(false, "first");
            ThreadLeakBridge.taskRunning("task");
            for (int i = 0; i < ThreadSlotLayout.CHILDREN + 1; i++) {
                ThreadLeakBridge.taskSubmitted("pool", "child" + i);
            }
            ThreadLeakBridge.futureWaiting("future");
        }, "slot-owner");
        t.start();
        t.join();
        AtomicReferenceArray<Object> slot = HOOKS.slot;
        assertNotNull(slot, "the slot was handed over");
        assertEquals(ThreadSlotLayout.LENGTH, slot.length());
        assertEquals(ThreadSlotLayout.FIRST_CHILD + ThreadSlotLayout.CHILDREN, ThreadSlotLayout.LENGTH);
        assertEquals("task", slot.get(ThreadSlotLayout.TASK));
        assertEquals("future", slot.get(ThreadSlotLayout.FUTURE));
        // nine children in eight places: the oldest was overwritten by the ninth
        assertEquals("child8", slot.get(ThreadSlotLayout.FIRST_CHILD));
        for (int i = 1; i < ThreadSlotLayout.CHILDREN; i++) {
            assertEquals("child" + i, slot.get(ThreadSlotLayout.FIRST_CHILD + i));
        }
        assertTrue(HOOKS.take().contains("slot slot-owner"));
    }

    @Test
    void aThreadExitCountsOnlyForTheThreadThatEnds() {
        Thread other = new Thread(() -> { }, "other");
        ThreadLeakBridge.threadExiting(other);
        assertEquals(List.of(), HOOKS.take(), "a faked exit of another thread");
        ThreadLeakBridge.threadExiting(Thread.currentThread());
        assertEquals(List.of("exiting " + Thread.currentThread().getName()), HOOKS.take());
    }

    @Test
    void cancellingHandsTheRunnersChildrenToTheCancellation() {
        Thread runner = new Thread(() -> { }, "runner");
        ThreadLeakBridge.taskCancelling("t", runner);
        ThreadLeakBridge.taskCancelled(true, "t");
        assertEquals(List.of("childrenOf runner", "cancelled t runner children"), HOOKS.take());
        ThreadLeakBridge.taskCancelling("u", null);
        ThreadLeakBridge.taskCancelled(false, "u");
        assertEquals(List.of(), HOOKS.take(), "a failed cancellation");
    }

    @Test
    void failuresAreSwallowedAndCounted() {
        long before = ThreadLeakBridge.failures();
        HOOKS.throwing = true;
        try {
            ThreadLeakBridge.executorCreated("x");
            ThreadLeakBridge.workerRunning("x");
            ThreadLeakBridge.timerCreated("x", Thread.currentThread());
            ThreadLeakBridge.threadStarting(new Thread(() -> { }));
        } finally {
            HOOKS.throwing = false;
        }
        assertEquals(before + 4, ThreadLeakBridge.failures());
    }

    private static void start(String name) {
        ThreadLeakBridge.threadStarting(new Thread(() -> { }, name));
    }

    @Test
    void scopesNestPerThreadAndCloseBackToTheOneBefore() throws Exception {
        Object a = ScopeBridge.open("a");
        start("t1");
        Object b = ScopeBridge.open("b");
        assertEquals(b, ScopeBridge.current());
        start("t2");
        ScopeBridge.close(b);
        assertTrue(((ThreadScope) b).closed());
        assertFalse(ScopeBridge.enter(b), "a closed scope cannot become current again");
        start("t3");
        Thread elsewhere = new Thread(() -> start("t4"), "elsewhere"); // a scope is current only where it was opened
        elsewhere.start();
        elsewhere.join();
        ScopeBridge.close(a);
        start("t5");
        assertEquals(List.of("starting t1", "scoped t1 a", "starting t2", "scoped t2 b", "starting t3", "scoped t3 a",
                "starting t4", "scoped t4 null", "starting t5", "scoped t5 null"), HOOKS.take().stream()
                .filter(c -> !c.contains("elsewhere")).toList());
    }

    @Test
    void enteringAScopeMakesItCurrentUntilExitWhichAlsoUnwindsWhatWasLeftOpenInside() {
        Object test = ScopeBridge.open("test");
        ScopeBridge.exit(test); // opened on the class's thread, entered on the test's
        assertEquals(null, ScopeBridge.current());
        assertTrue(ScopeBridge.enter(test));
        Object inner = ScopeBridge.open("left open");
        assertEquals(inner, ScopeBridge.current());
        assertTrue(ScopeBridge.exit(test));
        assertEquals(null, ScopeBridge.current(), "exit unwinds the inner scope left open");
        assertFalse(ScopeBridge.exit(test), "not current any more");
        ScopeBridge.close(test);
    }

    @Test
    void leftoversAreTheAgentsAnswerForScopesAndNothingForAnythingElse() {
        Object s = ScopeBridge.open("mine");
        ScopeBridge.close(s);
        assertEquals(List.of("leftovers of mine"), List.of(ScopeBridge.leftovers(s)));
        assertEquals(null, ScopeBridge.leftovers("not a scope"));
        assertFalse(ScopeBridge.enter("not a scope"));
        assertFalse(ScopeBridge.exit(null));
        ScopeBridge.close(null);
    }
}
