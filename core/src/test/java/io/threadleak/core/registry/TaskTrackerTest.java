package io.threadleak.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.StackCapture;
import io.threadleak.core.testutil.FakeClock;
import io.threadleak.core.testutil.Fixtures;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TaskTrackerTest {

    private final FakeClock clock = new FakeClock();
    private final ThreadRegistry threads = new ThreadRegistry();
    private final ExecutorRegistry executors = new ExecutorRegistry();
    private final TaskTracker tracker = new TaskTracker(threads, executors, Fixtures.table(), null, clock);
    private final Object executor = new Object();
    private final ExecutorRecord record = executors.add(executor,
            new ExecutorRecord(executor, executors.nextId(), "ThreadPoolExecutor", null, 0,
                    ExecutorRecord.Origin.CREATED));

    /** A task object of its own class, so that nodes can be told apart by class name. */
    static final class Job implements Runnable {
        @Override
        public void run() {
        }
    }

    private static boolean collect(WeakReference<?> ref, Runnable each) {
        for (int i = 0; i < 200 && ref.get() != null; i++) {
            System.gc();
            each.run();
        }
        return ref.get() == null;
    }

    @Test
    void cancellingATaskLinksTheChildrenItsRunnerRemembersToItsCancelledNode() {
        Thread runner = new Thread(() -> { }, "export-job-1");
        ThreadRecord runnerRecord = new ThreadRecord(runner, ThreadIds.of(runner), runner.getName(), false, true, null,
                -1, null, 0, 0, ThreadRecord.Origin.STARTED);
        threads.add(runnerRecord);
        Object parent = new Job();
        Object first = new Object();
        Object second = new Object();
        AtomicReferenceArray<Object> slot = new AtomicReferenceArray<>(10);
        slot.set(0, parent);
        slot.set(2, first);
        slot.set(5, second);
        tracker.threadSlot(runner, slot);

        Object[] children = tracker.childrenOf(runner);
        assertEquals(List.of(first, second), Arrays.asList(children));
        assertNull(tracker.link(first), "nothing is linked before the cancellation succeeds");

        tracker.taskCancelled(parent, runner, children);
        for (Object child : List.of(first, second)) {
            TaskLink link = tracker.link(child);
            assertTrue(link.parent().cancelled(), "the child learns its parent was cancelled");
            assertSame(parent, link.parent().task());
            assertEquals("export-job-1", link.submitterName());
            assertEquals(ThreadIds.of(runner), link.submitterId());
        }
        assertSame(tracker.link(first).parent(), tracker.link(second).parent(), "one node per parent");
    }

    @Test
    void aRunnerWithoutRememberedChildrenHasNone() {
        Thread runner = new Thread(() -> { });
        assertNull(tracker.childrenOf(runner), "no record");
        threads.add(new ThreadRecord(runner, ThreadIds.of(runner), "r", false, true, null, -1, null, 0, 0,
                ThreadRecord.Origin.STARTED));
        assertNull(tracker.childrenOf(runner), "no slot");
        tracker.threadSlot(runner, new AtomicReferenceArray<>(10));
        assertNull(tracker.childrenOf(runner), "an empty slot");
    }

    @Test
    void aSubmissionRecordsSubmitterExecutorAndTime() {
        Object task = new Object();
        clock.advance(Duration.ofSeconds(3));
        tracker.taskSubmitted(executor, task, null, null);
        TaskLink link = tracker.link(task);
        assertNotNull(link);
        assertNull(link.parent(), "submitted outside any task");
        Thread me = Thread.currentThread();
        assertEquals(ThreadIds.of(me), link.submitterId());
        assertEquals(me.getName(), link.submitterName());
        assertSame(record, link.executor());
        assertNull(link.site(), "no submit stacks");
        assertEquals(clock.currentTimeMillis(), link.submittedAtMillis());
        assertEquals(1, tracker.size());
    }

    @Test
    void anUnknownExecutorAndANullTask() {
        Object task = new Object();
        tracker.taskSubmitted(new Object(), task, null, null);
        assertNull(tracker.link(task).executor());
        tracker.taskSubmitted(null, new Object(), null, null);
        tracker.taskSubmitted(executor, null, null, null);
        assertEquals(2, tracker.size(), "a null task is not recorded");
        assertNull(tracker.link(null));
        assertNull(tracker.link(new Object()));
    }

    @Test
    void aTaskSubmittedTwiceKeepsItsFirstLink() {
        Object task = new Object();
        tracker.taskSubmitted(executor, task, null, null);
        TaskLink first = tracker.link(task);
        tracker.taskSubmitted(new Object(), task, new Object(), null);
        assertSame(first, tracker.link(task));
    }

    @Test
    void nestedSubmissionsRecordTheirParentOnce() {
        Job parent = new Job();
        Object a = new Object();
        Object b = new Object();
        tracker.taskSubmitted(executor, a, parent, null);
        tracker.taskSubmitted(executor, b, parent, null);
        TaskNode node = tracker.link(a).parent();
        assertNotNull(node);
        assertSame(node, tracker.link(b).parent(), "one node per parent");
        assertSame(parent, node.task());
        assertEquals(Job.class.getName(), node.className());
        assertEquals(System.identityHashCode(parent), node.identity());
        assertFalse(node.cancelled());
        assertNull(node.parent(), "the parent was not itself submitted from a task");
    }

    @Test
    void aParentsOwnParentIsChained() {
        Object grandparent = new Object();
        Object parent = new Object();
        Object child = new Object();
        tracker.taskSubmitted(executor, parent, grandparent, null);
        tracker.taskSubmitted(executor, child, parent, null);
        TaskNode node = tracker.link(child).parent();
        assertSame(parent, node.task());
        assertNotNull(node.parent());
        assertSame(grandparent, node.parent().task());
        assertSame(tracker.link(parent).parent(), node.parent());
    }

    @Test
    void cancellingAParentMarksItsNode() {
        Object parent = new Object();
        Object child = new Object();
        tracker.taskSubmitted(executor, child, parent, null);
        tracker.taskCancelled(new Object());
        tracker.taskCancelled(child);
        assertFalse(tracker.link(child).parent().cancelled(), "other tasks' cancellations do not count");
        tracker.taskCancelled(parent);
        assertTrue(tracker.link(child).parent().cancelled());
        tracker.taskCancelled(parent);
        assertTrue(tracker.link(child).parent().cancelled(), "sticky");
    }

    @Test
    void aCancelledParentIsRememberedCancelledAfterItIsCollected() {
        Object child = new Object();
        WeakReference<Object> parent = submitFromCancelledParent(child);
        assertTrue(collect(parent, tracker::expunge), "the tracker does not keep the parent alive");
        TaskNode node = tracker.link(child).parent();
        assertNotNull(node, "the child's link keeps the node");
        assertNull(node.task());
        assertTrue(node.cancelled());
        assertEquals(Job.class.getName(), node.className());
    }

    private WeakReference<Object> submitFromCancelledParent(Object child) {
        Job parent = new Job();
        tracker.taskSubmitted(executor, child, parent, null);
        tracker.taskCancelled(parent);
        return new WeakReference<>(parent);
    }

    @Test
    void aParentCancelledBeforeItsFirstNestedSubmissionIsRememberedCancelled() {
        Object child = new Object();
        WeakReference<Object> parent = cancelThenSubmit(child);
        assertTrue(collect(parent, tracker::expunge));
        assertTrue(tracker.link(child).parent().cancelled());
    }

    private WeakReference<Object> cancelThenSubmit(Object child) {
        Job parent = new Job();
        tracker.taskCancelled(parent);
        tracker.taskSubmitted(executor, child, parent, null);
        return new WeakReference<>(parent);
    }

    @Test
    void expungeDropsTheLinksOfCollectedTasks() {
        Object kept = new Object();
        tracker.taskSubmitted(executor, kept, null, null);
        WeakReference<Object> gone = submitGarbage();
        assertEquals(2, tracker.size());
        for (int i = 0; i < 200 && tracker.size() > 1; i++) {
            System.gc();
            tracker.expunge();
        }
        assertNull(gone.get());
        assertEquals(1, tracker.size());
        assertNotNull(tracker.link(kept));
    }

    private WeakReference<Object> submitGarbage() {
        Object task = new Object();
        tracker.taskSubmitted(executor, task, new Object(), null);
        return new WeakReference<>(task);
    }

    @Test
    void withSubmitStacksTheLinkHasASubmitSite() {
        TaskTracker withStacks = new TaskTracker(threads, executors, Fixtures.table(), new StackCapture(32), clock);
        List<StackWalker.StackFrame> head = StackWalker.getInstance().walk(s -> s.collect(Collectors.toList()));
        Object task = new Object();
        withStacks.taskSubmitted(executor, task, null, head);
        CreationSite site = withStacks.link(task).site();
        assertNotNull(site);
        assertTrue(Arrays.stream(site.frames()).anyMatch(f -> f.getMethodName().equals("withSubmitStacksTheLinkHasASubmitSite")),
                Arrays.toString(site.frames()));
        Object other = new Object();
        withStacks.taskSubmitted(executor, other, null, null);
        assertNull(withStacks.link(other).site(), "no head, no site");
    }

    @Test
    void aSlotGoesToTheRecordOfThatVeryThread() {
        Thread t = new Thread(() -> { }, "slotted");
        ThreadRecord r = new ThreadRecord(t, ThreadIds.of(t), "slotted", false, false, null, 1, "main", 0, 0,
                ThreadRecord.Origin.STARTED);
        threads.add(r);
        AtomicReferenceArray<Object> slot = new AtomicReferenceArray<>(2);
        tracker.threadSlot(t, slot);
        assertSame(slot, r.slot());

        Thread stranger = new Thread(() -> { }, "stranger");
        tracker.threadSlot(stranger, new AtomicReferenceArray<>(2)); // no record: ignored
        assertSame(slot, r.slot());
    }

    @Test
    void aSlotIsNotGivenToAnotherThreadsRecordWithTheSameId() {
        Thread t = new Thread(() -> { }, "a");
        Thread impostor = new Thread(() -> { }, "b");
        ThreadRecord r = new ThreadRecord(impostor, ThreadIds.of(t), "a", false, false, null, 1, "main", 0, 0,
                ThreadRecord.Origin.STARTED);
        threads.add(r);
        tracker.threadSlot(t, new AtomicReferenceArray<>(2));
        assertNull(r.slot());
    }
}
