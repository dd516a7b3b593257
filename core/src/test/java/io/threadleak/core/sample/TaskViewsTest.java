package io.threadleak.core.sample;

import static io.threadleak.core.testutil.Fixtures.f;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.bootstrap.ThreadSlotLayout;
import io.threadleak.core.registry.ExecutorRecord;
import io.threadleak.core.registry.ExecutorRegistry;
import io.threadleak.core.registry.TaskTracker;
import io.threadleak.core.registry.ThreadIds;
import io.threadleak.core.registry.ThreadRegistry;
import io.threadleak.core.testutil.FakeClock;
import io.threadleak.core.testutil.Fixtures;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

class TaskViewsTest {

    /** Task state as a test says it is. */
    static final class FakeFields implements TaskFields {
        final Map<Object, Integer> states = new IdentityHashMap<>();
        final Map<Object, Thread> runners = new IdentityHashMap<>();
        final Map<Object, Object> bodies = new IdentityHashMap<>();
        final Map<Object, Boolean> done = new IdentityHashMap<>();
        final Map<Object, Object> targets = new IdentityHashMap<>();

        @Override
        public int futureTaskState(Object task) {
            return states.getOrDefault(task, -1);
        }

        @Override
        public Thread futureTaskRunner(Object task) {
            return runners.get(task);
        }

        @Override
        public Object futureTaskBody(Object task) {
            return bodies.get(task);
        }

        @Override
        public Boolean completableDone(Object future) {
            return done.get(future);
        }

        @Override
        public Object asyncTarget(Object task) {
            return targets.get(task);
        }
    }

    /** What a task runs: its class name is what views report. */
    static final class Body implements Runnable {
        @Override
        public void run() {
        }
    }

    private static final StackTraceElement[] RUNNING_TASK = {
        f("java.lang.Thread", "sleep", -2),
        f("com.acme.Job", "work", 12),
        f("java.util.concurrent.Executors$RunnableAdapter", "call", 539),
        f("java.util.concurrent.FutureTask", "run", 264),
        f("java.util.concurrent.ThreadPoolExecutor", "runWorker", 1136),
        f("java.lang.Thread", "run", 833),
    };
    private static final StackTraceElement[] RUNNING_PERIODIC = {
        f("com.acme.Job", "tick", 12),
        f("java.util.concurrent.FutureTask", "runAndReset", 305),
        f("java.lang.Thread", "run", 833),
    };
    private static final StackTraceElement[] OUTSIDE_TASK = {
        f("java.lang.Thread", "sleep", -2),
        f("com.acme.Job", "work", 12),
        f("java.util.concurrent.ThreadPoolExecutor", "runWorker", 1136),
        f("java.lang.Thread", "run", 833),
    };
    private static final StackTraceElement[] FUTURE_TASK_GET = {
        f("jdk.internal.misc.Unsafe", "park", -2),
        f("java.util.concurrent.locks.LockSupport", "park", 211),
        f("java.util.concurrent.FutureTask", "awaitDone", 444),
        f("java.util.concurrent.FutureTask", "get", 190),
        f("com.acme.Job", "collect", 30),
    };
    private static final StackTraceElement[] CF_GET = {
        f("jdk.internal.misc.Unsafe", "park", -2),
        f("java.util.concurrent.CompletableFuture$Signaller", "block", 1864),
        f("java.util.concurrent.ForkJoinPool", "managedBlock", 3463),
        f("java.util.concurrent.CompletableFuture", "waitingGet", 1898),
        f("java.util.concurrent.CompletableFuture", "join", 2117),
        f("com.acme.Job", "collect", 31),
    };
    private static final StackTraceElement[] CF_TIMED_GET = {
        f("jdk.internal.misc.Unsafe", "park", -2),
        f("java.util.concurrent.CompletableFuture", "timedGet", 1939),
        f("java.util.concurrent.CompletableFuture", "get", 2095),
        f("com.acme.Job", "collect", 32),
    };
    private static final StackTraceElement[] PARKED_ELSEWHERE = Fixtures.latchWait("Job", "collect", 33);

    private final FakeFields fields = new FakeFields();
    private final ExecutorRegistry executors = new ExecutorRegistry();
    private final TaskTracker tracker = new TaskTracker(new ThreadRegistry(), executors, Fixtures.table(), null,
            new FakeClock());
    private final List<Object> keep = new ArrayList<>();

    private TaskViews views() {
        return new TaskViews(tracker, fields, executors.records());
    }

    private static AtomicReferenceArray<Object> slot(Object running, Object awaited) {
        AtomicReferenceArray<Object> slot = new AtomicReferenceArray<>(ThreadSlotLayout.LENGTH);
        slot.set(ThreadSlotLayout.TASK, running);
        slot.set(ThreadSlotLayout.FUTURE, awaited);
        return slot;
    }

    private ExecutorRecord track(Object executor, String kind) {
        keep.add(executor);
        return executors.add(executor, new ExecutorRecord(executor, executors.nextId(), kind, null, 0,
                ExecutorRecord.Origin.CREATED));
    }

    // --- the task a thread runs

    @Test
    void aRunningTaskIsReportedOnlyWhileTheStackIsInsideFutureTaskRun() {
        FutureTask<?> task = new FutureTask<>(new Body(), null);
        fields.states.put(task, 0);
        fields.runners.put(task, Thread.currentThread());
        fields.bodies.put(task, new Body());
        TaskView view = views().runningTask(slot(task, null), RUNNING_TASK);
        assertNotNull(view);
        assertEquals(WaitTarget.ofObject(task), view.task());
        assertEquals(TaskState.RUNNING, view.state());
        assertEquals(Body.class.getName(), view.body());
        assertNull(view.parent());
        assertNull(view.executor(), "no link");
        assertNull(view.submitter());

        assertNull(views().runningTask(slot(task, null), OUTSIDE_TASK), "a stale slot: the task has returned");
        assertNotNull(views().runningTask(slot(task, null), RUNNING_PERIODIC), "runAndReset counts");
        assertNull(views().runningTask(slot(null, null), RUNNING_TASK));
        assertNull(views().runningTask(null, RUNNING_TASK));
    }

    @Test
    void aRunningTaskWhoseFutureWasCancelledIsCancelled() {
        FutureTask<?> task = new FutureTask<>(new Body(), null);
        fields.states.put(task, 4);
        assertEquals(TaskState.CANCELLED, views().runningTask(slot(task, null), RUNNING_TASK).state());
        fields.states.put(task, 6);
        assertEquals(TaskState.CANCELLED, views().runningTask(slot(task, null), RUNNING_TASK).state(), "interrupted");
        fields.states.put(task, -1);
        assertEquals(TaskState.RUNNING, views().runningTask(slot(task, null), RUNNING_TASK).state(),
                "state unknown: it runs");
    }

    @Test
    void aRunningTaskShowsItsLinkAndItsParent() {
        Object executor = new Object();
        ExecutorRecord record = track(executor, "ThreadPoolExecutor");
        FutureTask<?> parent = new FutureTask<>(new Body(), null);
        FutureTask<?> task = new FutureTask<>(() -> { }, null);
        fields.states.put(parent, 0);
        fields.runners.put(parent, new Thread(() -> { }));
        tracker.taskSubmitted(executor, task, parent, null);
        TaskView view = views().runningTask(slot(task, null), RUNNING_TASK);
        assertEquals(record.toString(), view.executor());
        Thread me = Thread.currentThread();
        assertEquals("\"" + me.getName() + "\" #" + ThreadIds.of(me), view.submitter());
        assertNotNull(view.parent());
        assertEquals(WaitTarget.ofObject(parent), view.parent().task());
        assertEquals(TaskState.RUNNING, view.parent().state());
        assertNull(view.cancelledAncestor());

        fields.states.put(parent, 4); // the parent's future is cancelled
        TaskView again = views().runningTask(slot(task, null), RUNNING_TASK);
        assertEquals(TaskState.CANCELLED, again.parent().state());
        assertEquals(again.parent(), again.cancelledAncestor());
        assertTrue(tracker.link(task).parent().cancelled(), "the sampler marks the node for later");
    }

    @Test
    void aCollectedParentIsShownFromItsNode() {
        FutureTask<?> task = new FutureTask<>(() -> { }, null);
        WeakReference<Object> parent = submitFromCancelledParent(task);
        for (int i = 0; i < 200 && parent.get() != null; i++) {
            System.gc();
        }
        assertNull(parent.get());
        TaskView view = views().runningTask(slot(task, null), RUNNING_TASK);
        assertNotNull(view.parent());
        assertEquals(FutureTask.class.getName(), view.parent().task().className());
        assertEquals(TaskState.CANCELLED, view.parent().state());
        assertEquals(Body.class.getName(), view.parent().body(), "the body seen while it lived");
        assertNotNull(view.cancelledAncestor());
    }

    private WeakReference<Object> submitFromCancelledParent(Object task) {
        FutureTask<?> parent = new FutureTask<>(new Body(), null);
        fields.bodies.put(parent, new Body());
        fields.states.put(parent, 0);
        tracker.taskSubmitted(null, task, parent, null);
        views().runningTask(slot(task, null), RUNNING_TASK); // a sample sees the parent's body while it lives
        tracker.taskCancelled(parent);
        fields.bodies.remove(parent);
        fields.states.remove(parent);
        return new WeakReference<>(parent);
    }

    @Test
    void aCollectedParentThatWasNotCancelledIsDone() {
        FutureTask<?> task = new FutureTask<>(() -> { }, null);
        WeakReference<Object> parent = submitFromParent(task);
        for (int i = 0; i < 200 && parent.get() != null; i++) {
            System.gc();
        }
        assertNull(parent.get());
        TaskView view = views().runningTask(slot(task, null), RUNNING_TASK);
        assertEquals(TaskState.DONE, view.parent().state());
        assertNull(view.cancelledAncestor());
    }

    private WeakReference<Object> submitFromParent(Object task) {
        Object parent = new Object();
        tracker.taskSubmitted(null, task, parent, null);
        return new WeakReference<>(parent);
    }

    // --- the future a thread waits for

    @Test
    void aFutureWaitIsReportedOnlyWhileTheStackIsInsideTheWait() {
        FutureTask<?> future = new FutureTask<>(new Body(), null);
        fields.states.put(future, 0);
        fields.runners.put(future, new Thread(() -> { }, "producer"));
        assertNotNull(views().awaitedFuture(slot(null, future), FUTURE_TASK_GET));
        assertNull(views().awaitedFuture(slot(null, future), PARKED_ELSEWHERE), "a stale slot");
        assertNull(views().awaitedFuture(slot(null, future), RUNNING_TASK));
        assertNull(views().awaitedFuture(slot(future, null), FUTURE_TASK_GET), "nothing awaited");
        assertNull(views().awaitedFuture((AtomicReferenceArray<Object>) null, FUTURE_TASK_GET));

        CompletableFuture<?> cf = new CompletableFuture<>();
        fields.done.put(cf, false);
        assertNotNull(views().awaitedFuture(slot(null, cf), CF_GET), "waitingGet");
        assertNotNull(views().awaitedFuture(slot(null, cf), CF_TIMED_GET), "timedGet");
        assertNull(views().awaitedFuture(slot(null, cf), PARKED_ELSEWHERE));
    }

    @Test
    void aFutureTaskThatRunsHasARunningProducer() {
        FutureTask<?> future = new FutureTask<>(new Body(), null);
        Thread producer = new Thread(() -> { }, "producer");
        fields.states.put(future, 0);
        fields.runners.put(future, producer);
        FutureView view = views().awaitedFuture(slot(null, future), FUTURE_TASK_GET);
        assertEquals(WaitTarget.ofObject(future), view.future());
        assertEquals(Boolean.FALSE, view.done());
        assertEquals(FutureView.Producer.RUNNING, view.producer());
        assertEquals("its task runs on \"producer\" #" + producer.getId(), view.via());
        assertEquals(TaskState.RUNNING, view.task().state());
        assertNull(view.queuedIn());
    }

    @Test
    void aFutureTaskNeitherRunningNorQueuedIsNotSubmitted() {
        FutureTask<?> future = new FutureTask<>(new Body(), null);
        fields.states.put(future, 0);
        FutureView view = views().awaitedFuture(slot(null, future), FUTURE_TASK_GET);
        assertEquals(FutureView.Producer.NONE, view.producer());
        assertEquals(TaskState.NOT_SUBMITTED, view.task().state());
        assertEquals(Boolean.FALSE, view.done());
        assertNull(view.queuedIn());
        assertEquals("its task was never started and is in no tracked executor's queue: nothing will run it",
                view.via());
    }

    @Test
    void aCompletedFutureTaskIsDone() {
        FutureTask<?> future = new FutureTask<>(new Body(), null);
        fields.states.put(future, 2);
        FutureView view = views().awaitedFuture(slot(null, future), FUTURE_TASK_GET);
        assertEquals(Boolean.TRUE, view.done());
        assertEquals(TaskState.DONE, view.task().state());
        assertEquals(FutureView.Producer.UNKNOWN, view.producer());
        assertEquals("its task is done", view.via());
    }

    @Test
    void aFutureTaskQueuedInARealPoolIsQueuedThere() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        try {
            ExecutorRecord record = track(pool, "ThreadPoolExecutor");
            pool.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            FutureTask<Integer> queued = new FutureTask<>(() -> 42);
            pool.execute(queued);
            assertTrue(pool.getQueue().contains(queued), "the single worker is busy");
            fields.states.put(queued, 0);

            FutureView view = views().awaitedFuture(slot(null, queued), FUTURE_TASK_GET);
            assertEquals(FutureView.Producer.QUEUED, view.producer());
            assertSame(record, view.queuedIn());
            assertEquals(TaskState.QUEUED, view.task().state());
            assertEquals("its task is queued in " + record, view.via());

            FutureTask<Integer> elsewhere = new FutureTask<>(() -> 1);
            fields.states.put(elsewhere, 0);
            assertEquals(FutureView.Producer.NONE,
                    views().awaitedFuture(slot(null, elsewhere), FUTURE_TASK_GET).producer());
        } finally {
            release.countDown();
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void anApplicationSubclassPoolIsNotSearched() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>()) {
        };
        try {
            track(pool, "App");
            pool.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            FutureTask<Integer> queued = new FutureTask<>(() -> 42);
            pool.execute(queued);
            fields.states.put(queued, 0);
            FutureView view = views().awaitedFuture(slot(null, queued), FUTURE_TASK_GET);
            assertNull(view.queuedIn(), "iterating an application class's queue could run application code");
            assertEquals(TaskState.NOT_SUBMITTED, view.task().state());
        } finally {
            release.countDown();
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aCompletableFutureWhoseAsyncTaskIsQueuedIsQueued() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        try {
            ExecutorRecord record = track(pool, "ThreadPoolExecutor");
            pool.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            CompletableFuture<Integer> cf = CompletableFuture.supplyAsync(() -> 7, pool);
            Runnable async = pool.getQueue().peek();
            assertNotNull(async);
            fields.targets.put(async, cf);
            fields.done.put(cf, false);
            FutureView view = views().awaitedFuture(slot(null, cf), CF_GET);
            assertEquals(FutureView.Producer.QUEUED, view.producer());
            assertSame(record, view.queuedIn());
            assertEquals(Boolean.FALSE, view.done());
            assertEquals("its async task is queued in " + record, view.via());
            assertNull(view.task());
        } finally {
            release.countDown();
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aCompletableFutureNothingCompletesHasNoProducer() {
        CompletableFuture<?> cf = new CompletableFuture<>();
        fields.done.put(cf, false);
        FutureView view = views().awaitedFuture(slot(null, cf), CF_GET);
        assertTrue(ForkJoinPool.commonPool().awaitQuiescence(10, TimeUnit.SECONDS));
        assertEquals(FutureView.Producer.NONE, view.producer());
        assertEquals(Boolean.FALSE, view.done());
        assertTrue(view.via().startsWith("no queued or running task completes it (checked"), view.via());
        assertNull(view.queuedIn());
        fields.done.put(cf, true);
        FutureView done = views().awaitedFuture(slot(null, cf), CF_GET);
        assertEquals(Boolean.TRUE, done.done());
        assertEquals(FutureView.Producer.UNKNOWN, done.producer());
        assertEquals("completed", done.via());
    }

    @Test
    void aCompletableFutureWhileAForkJoinPoolIsBusyMayBeCompletedByItsTasks() throws Exception {
        CompletableFuture<?> cf = new CompletableFuture<>();
        fields.done.put(cf, false);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ForkJoinPool.commonPool().execute(() -> {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertTrue(running.await(10, TimeUnit.SECONDS));
            FutureView view = views().awaitedFuture(slot(null, cf), CF_GET);
            assertEquals(FutureView.Producer.UNKNOWN, view.producer(), "never claim nothing completes it unchecked");
            assertTrue(view.via().startsWith("unknown: "), view.via());
            assertTrue(view.via().contains("the common pool: "), view.via());
        } finally {
            release.countDown();
        }
    }

    @Test
    void aFutureOfUnknownStateIsUnknown() {
        CompletableFuture<?> cf = new CompletableFuture<>();
        FutureView view = views().awaitedFuture(slot(null, cf), CF_GET);
        assertEquals(FutureView.Producer.UNKNOWN, view.producer());
        assertNull(view.done());
        assertEquals("what completes it is unknown", view.via());
        assertFalse(view.describe().contains("(completed)"));
    }

    @Test
    void simpleNameTrimsLambdaSuffixes() {
        assertEquals("io.acme.Orders$$Lambda", TaskViews.simpleName("io.acme.Orders$$Lambda$14/0x0000000800c0b000"));
        assertEquals("io.acme.Orders$$Lambda", TaskViews.simpleName("io.acme.Orders$$Lambda/0x000001f0010a3c58"));
        assertEquals("io.acme.Orders$$Lambda", TaskViews.simpleName("io.acme.Orders$$Lambda$14"));
        assertEquals("io.acme.Hidden", TaskViews.simpleName("io.acme.Hidden/0x0000000800c0b000"));
        assertEquals("io.acme.Orders$Inner", TaskViews.simpleName("io.acme.Orders$Inner"));
        assertEquals("io.acme.Orders", TaskViews.simpleName("io.acme.Orders"));
    }

    @Test
    void aLambdaBodyIsReportedWithoutItsHiddenClassSuffix() {
        Runnable lambda = () -> { };
        FutureTask<?> task = new FutureTask<>(lambda, null);
        fields.bodies.put(task, lambda);
        String body = views().runningTask(slot(task, null), RUNNING_TASK).body();
        assertEquals(TaskViewsTest.class.getName() + "$$Lambda", body);
    }
}
