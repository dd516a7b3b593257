package io.threadleak.core.sample;

import static io.threadleak.bootstrap.ThreadSlotLayout.FIRST_CHILD;
import static io.threadleak.bootstrap.ThreadSlotLayout.FUTURE;
import static io.threadleak.bootstrap.ThreadSlotLayout.LENGTH;
import static io.threadleak.bootstrap.ThreadSlotLayout.TASK;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.threadleak.core.registry.ExecutorRegistry;
import io.threadleak.core.registry.ThreadRecord;
import io.threadleak.core.testutil.Fixtures;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

/** The sampler empties slot entries that are over, so that the agent keeps no finished task or future alive. */
class SlotSweepTest {

    private static final StackTraceElement[] IDLE = Fixtures.latchWait("Job", "idle", 40);
    private static final StackTraceElement[] IN_TASK = {
        new StackTraceElement("com.acme.Job", "work", "Job.java", 12),
        new StackTraceElement("java.util.concurrent.FutureTask", "run", "FutureTask.java", 264),
    };

    private final TaskViewsTest.FakeFields fields = new TaskViewsTest.FakeFields();
    private final ThreadRecord record = new ThreadRecord(Thread.currentThread(), 1, "worker", false, false, null, -1,
            null, 0, 0, ThreadRecord.Origin.STARTED);
    private final AtomicReferenceArray<Object> slot = new AtomicReferenceArray<>(LENGTH);

    SlotSweepTest() {
        record.slot(slot);
    }

    private TaskViews sample() {
        return new TaskViews(null, fields, List.of());
    }

    private void children(Object... tasks) {
        for (int i = 0; i < tasks.length; i++) {
            slot.set(FIRST_CHILD + i, tasks[i]);
        }
    }

    private void assertNoChildren() {
        for (int i = FIRST_CHILD; i < LENGTH; i++) {
            assertNull(slot.get(i), "child " + i);
        }
    }

    @Test
    void aDoneTaskAndItsChildrenAreEmptiedAtTheFirstSampleAfterIt() {
        FutureTask<?> task = new FutureTask<>(() -> { }, null);
        slot.set(TASK, task);
        children("a", "b");
        fields.states.put(task, 0);
        assertNotNull(sample().runningTask(record, Thread.currentThread(), IN_TASK), "running");
        assertSame(task, slot.get(TASK));
        fields.states.put(task, 2);
        assertNull(sample().runningTask(record, Thread.currentThread(), IDLE));
        assertNull(slot.get(TASK), "a done task off the stack");
        assertNoChildren();
    }

    @Test
    void aTaskOffTheStackInTwoSamplesIsEmptiedEvenWhenItsStateIsUnknown() {
        Object task = new Object(); // state -1: unknown
        slot.set(TASK, task);
        children("a");
        sample().runningTask(record, Thread.currentThread(), IDLE);
        assertSame(task, slot.get(TASK), "one sample off the stack may be a task that has just started");
        sample().runningTask(record, Thread.currentThread(), IDLE);
        assertNull(slot.get(TASK));
        assertNoChildren();
    }

    @Test
    void aRunningTaskBelowTheStackCutIsKept() {
        StackTraceElement[] cut = new StackTraceElement[Sampler.MAX_DEPTH];
        for (int i = 0; i < cut.length; i++) {
            cut[i] = new StackTraceElement("com.acme.Deep", "recurse", "Deep.java", i);
        }
        Object task = new Object();
        slot.set(TASK, task);
        children("a");
        for (int i = 0; i < 3; i++) {
            sample().runningTask(record, Thread.currentThread(), cut);
        }
        assertSame(task, slot.get(TASK), "FutureTask.run may be below the cut: not known to be off the stack");
        assertSame("a", slot.get(FIRST_CHILD));
    }

    @Test
    void aTaskBackOnTheStackIsKept() {
        Object task = new Object();
        slot.set(TASK, task);
        sample().runningTask(record, Thread.currentThread(), IDLE);
        sample().runningTask(record, Thread.currentThread(), IN_TASK);
        sample().runningTask(record, Thread.currentThread(), IDLE);
        assertSame(task, slot.get(TASK), "off, on, off: not two samples off in a row");
    }

    @Test
    void childrenWithoutATaskAreEmptied() {
        children("a", "b", "c");
        sample().runningTask(record, Thread.currentThread(), IDLE);
        assertNoChildren();
    }

    @Test
    void aFutureWhoseWaitEndedByAnExceptionIsEmptiedOnceOver() {
        CompletableFuture<?> never = new CompletableFuture<>();
        fields.done.put(never, false);
        slot.set(FUTURE, never);
        sample().awaitedFuture(record, IDLE);
        assertSame(never, slot.get(FUTURE), "one sample: the wait may have just begun");
        sample().awaitedFuture(record, IDLE);
        assertNull(slot.get(FUTURE), "an interrupted get() leaves nothing behind after two samples");

        FutureTask<?> done = new FutureTask<>(() -> { }, null);
        fields.states.put(done, 3);
        slot.set(FUTURE, done);
        sample().awaitedFuture(record, IDLE);
        assertNull(slot.get(FUTURE), "a done future: at once");
    }
}
