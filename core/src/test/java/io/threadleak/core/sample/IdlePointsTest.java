package io.threadleak.core.sample;

import static io.threadleak.core.testutil.Fixtures.f;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.testutil.Fixtures;
import org.junit.jupiter.api.Test;

class IdlePointsTest {

    private static final StackTraceElement[] POOL_WORKER_IDLE = {
        f("jdk.internal.misc.Unsafe", "park", -2),
        f("java.util.concurrent.locks.LockSupport", "park", 341),
        f("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionNode", "block", 506),
        f("java.util.concurrent.ForkJoinPool", "unmanagedBlock", 3465),
        f("java.util.concurrent.ForkJoinPool", "managedBlock", 3436),
        f("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject", "await", 1623),
        f("java.util.concurrent.LinkedBlockingQueue", "take", 435),
        f("java.util.concurrent.ThreadPoolExecutor", "getTask", 1062),
        f("java.util.concurrent.ThreadPoolExecutor", "runWorker", 1122),
        f("java.util.concurrent.ThreadPoolExecutor$Worker", "run", 635),
        f("java.lang.Thread", "run", 833),
    };

    private static final StackTraceElement[] SCHEDULED_WORKER_IDLE = {
        f("jdk.internal.misc.Unsafe", "park", -2),
        f("java.util.concurrent.locks.LockSupport", "parkNanos", 252),
        f("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject", "awaitNanos", 1672),
        f("java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue", "take", 1182),
        f("java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue", "take", 899),
        f("java.util.concurrent.ThreadPoolExecutor", "getTask", 1062),
        f("java.util.concurrent.ThreadPoolExecutor", "runWorker", 1122),
        f("java.util.concurrent.ThreadPoolExecutor$Worker", "run", 635),
        f("java.lang.Thread", "run", 833),
    };

    private static final StackTraceElement[] FORK_JOIN_IDLE = {
        f("jdk.internal.misc.Unsafe", "park", -2),
        f("java.util.concurrent.locks.LockSupport", "park", 341),
        f("java.util.concurrent.ForkJoinPool", "awaitWork", 1724),
        f("java.util.concurrent.ForkJoinPool", "runWorker", 1623),
        f("java.util.concurrent.ForkJoinWorkerThread", "run", 165),
    };

    private static final StackTraceElement[] TIMER_IDLE = {
        f("java.lang.Object", "wait", -2),
        f("java.lang.Object", "wait", 338),
        f("java.util.TimerThread", "mainLoop", 537),
        f("java.util.TimerThread", "run", 516),
    };

    /** A pool worker whose task (application code) waits on a latch: above the pool's idle point. */
    private static final StackTraceElement[] POOL_WORKER_IN_TASK = {
        f("jdk.internal.misc.Unsafe", "park", -2),
        f("java.util.concurrent.locks.LockSupport", "park", 211),
        f("java.util.concurrent.locks.AbstractQueuedSynchronizer", "acquire", 715),
        f("java.util.concurrent.locks.AbstractQueuedSynchronizer", "acquireSharedInterruptibly", 1047),
        f("java.util.concurrent.CountDownLatch", "await", 230),
        f("com.acme.orders.Task", "run", 42),
        f("java.util.concurrent.ThreadPoolExecutor", "runWorker", 1136),
        f("java.util.concurrent.ThreadPoolExecutor$Worker", "run", 635),
        f("java.lang.Thread", "run", 833),
    };

    /** A task that itself takes from a queue and then, further down, the pool's getTask is not reached. */
    private static final StackTraceElement[] TASK_TAKING_FROM_QUEUE = {
        f("jdk.internal.misc.Unsafe", "park", -2),
        f("java.util.concurrent.locks.LockSupport", "park", 341),
        f("java.util.concurrent.LinkedBlockingQueue", "take", 435),
        f("com.acme.Consumer", "loop", 17),
        f("java.util.concurrent.ThreadPoolExecutor", "runWorker", 1136),
        f("java.util.concurrent.ThreadPoolExecutor", "getTask", 1062),
    };

    private static final StackTraceElement[] SLEEP_17 = {
        f("java.lang.Thread", "sleep", -2),
        f("com.acme.Poller", "run", 21),
        f("java.lang.Thread", "run", 833),
    };

    private static final StackTraceElement[] SLEEP_21 = {
        f("java.lang.Thread", "sleep0", -2),
        f("java.lang.Thread", "sleepNanos", 491),
        f("java.lang.Thread", "sleep", 522),
        f("com.acme.Poller", "run", 21),
    };

    private static final StackTraceElement[] SELECTOR = {
        f("sun.nio.ch.EPoll", "wait", -2),
        f("sun.nio.ch.EPollSelectorImpl", "doSelect", 121),
        f("sun.nio.ch.SelectorImpl", "lockAndDoSelect", 129),
        f("sun.nio.ch.SelectorImpl", "select", 146),
        f("com.acme.net.Server", "loop", 55),
    };

    private static final StackTraceElement[] ACCEPT = {
        f("sun.nio.ch.Net", "accept", -2),
        f("sun.nio.ch.NioSocketImpl", "accept", 760),
        f("java.net.ServerSocket", "implAccept", 675),
        f("java.net.ServerSocket", "accept", 626),
        f("com.acme.net.Server", "accept", 70),
    };

    private static final StackTraceElement[] BUSY = {
        f("java.lang.StringBuilder", "append", 179),
        f("com.acme.Cruncher", "crunch", 9),
        f("java.lang.Thread", "run", 833),
    };

    @Test
    void poolWorkerWaitingForATaskIsIdle() {
        assertEquals(Activity.IDLE, IdlePoints.classify(Thread.State.WAITING, POOL_WORKER_IDLE));
        assertEquals(Activity.IDLE, IdlePoints.classify(Thread.State.TIMED_WAITING, SCHEDULED_WORKER_IDLE));
        assertTrue(IdlePoints.isIdle(POOL_WORKER_IDLE));
    }

    @Test
    void forkJoinWorkerAwaitingWorkIsIdle() {
        assertEquals(Activity.IDLE, IdlePoints.classify(Thread.State.WAITING, FORK_JOIN_IDLE));
        assertEquals(Activity.IDLE, IdlePoints.classify(Thread.State.TIMED_WAITING, FORK_JOIN_IDLE));
    }

    /** A producer blocked in put() on a full queue: waits for a consumer, not for work. */
    private static final StackTraceElement[] PRODUCER_PUT = {
        f("jdk.internal.misc.Unsafe", "park", -2),
        f("java.util.concurrent.locks.LockSupport", "park", 341),
        f("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject", "await", 1623),
        f("java.util.concurrent.ArrayBlockingQueue", "put", 370),
        f("com.acme.Producer", "export", 17),
    };

    @Test
    void aConsumerWaitingForItsNextItemIsIdlePoolWorkerOrNot() {
        assertEquals(Activity.IDLE, IdlePoints.classify(Thread.State.WAITING, TASK_TAKING_FROM_QUEUE),
                "a task taking from a queue waits for its next item");
        StackTraceElement[] poll = {
            f("jdk.internal.misc.Unsafe", "park", -2),
            f("java.util.concurrent.locks.LockSupport", "parkNanos", 252),
            f("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject", "awaitNanos", 1672),
            f("java.util.concurrent.LinkedBlockingQueue", "poll", 460),
            f("com.acme.Poller", "loop", 17),
        };
        assertEquals(Activity.IDLE, IdlePoints.classify(Thread.State.TIMED_WAITING, poll));
    }

    @Test
    void aLibraryPoolWorkerWaitingInItsOwnQueueIsIdle() {
        StackTraceElement[] jetty = {
            f("jdk.internal.misc.Unsafe", "park", -2),
            f("java.util.concurrent.locks.LockSupport", "parkNanos", 252),
            f("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject", "awaitNanos", 1672),
            f("org.eclipse.jetty.util.BlockingArrayQueue", "poll", 392),
            f("org.eclipse.jetty.util.thread.QueuedThreadPool$Runner", "idleJobPoll", 1140),
            f("org.eclipse.jetty.util.thread.QueuedThreadPool$Runner", "run", 1090),
            f("java.lang.Thread", "run", 1583),
        };
        assertEquals(Activity.IDLE, IdlePoints.classify(Thread.State.TIMED_WAITING, jetty));
    }

    @Test
    void timerThreadWaitingForItsNextTaskIsIdle() {
        assertEquals(Activity.IDLE, IdlePoints.classify(Thread.State.WAITING, TIMER_IDLE));
        assertEquals(Activity.IDLE, IdlePoints.classify(Thread.State.TIMED_WAITING, TIMER_IDLE));
    }

    @Test
    void workerBlockedInsideApplicationTaskIsWaiting() {
        assertFalse(IdlePoints.isIdle(POOL_WORKER_IN_TASK));
        assertEquals(Activity.WAITING, IdlePoints.classify(Thread.State.WAITING, POOL_WORKER_IN_TASK));
        assertEquals(Activity.WAITING, IdlePoints.classify(Thread.State.WAITING, PRODUCER_PUT),
                "a producer blocked in put() on a full queue is not idle");
        assertEquals(Activity.WAITING, IdlePoints.classify(Thread.State.WAITING,
                Fixtures.latchWait("Waiter", "run", 10)));
    }

    @Test
    void sleepingIsSleepingOnJdk17AndJdk21Stacks() {
        assertEquals(Activity.SLEEPING, IdlePoints.classify(Thread.State.TIMED_WAITING, SLEEP_17));
        assertEquals(Activity.SLEEPING, IdlePoints.classify(Thread.State.TIMED_WAITING, SLEEP_21));
    }

    @Test
    void sleepCalledBelowAnApplicationWaitIsNotSleeping() {
        StackTraceElement[] waitingInsideSleepLoop = {
            f("java.lang.Object", "wait", -2),
            f("com.acme.Poller", "awaitSignal", 30),
            f("java.lang.Thread", "sleep", 522),
        };
        assertEquals(Activity.WAITING, IdlePoints.classify(Thread.State.WAITING, waitingInsideSleepLoop));
    }

    @Test
    void blockedIsBlockedWhateverTheStack() {
        StackTraceElement[] enteringMonitor = {f("com.acme.Account", "transfer", 88), f("java.lang.Thread", "run", 833)};
        assertEquals(Activity.BLOCKED, IdlePoints.classify(Thread.State.BLOCKED, enteringMonitor));
        assertEquals(Activity.BLOCKED, IdlePoints.classify(Thread.State.BLOCKED, POOL_WORKER_IDLE));
    }

    @Test
    void runnableInSelectorOrAcceptIsIdle() {
        assertEquals(Activity.IDLE, IdlePoints.classify(Thread.State.RUNNABLE, SELECTOR));
        assertEquals(Activity.IDLE, IdlePoints.classify(Thread.State.RUNNABLE, ACCEPT));
    }

    @Test
    void plainRunnableIsRunning() {
        assertEquals(Activity.RUNNING, IdlePoints.classify(Thread.State.RUNNABLE, BUSY));
        assertEquals(Activity.RUNNING, IdlePoints.classify(Thread.State.RUNNABLE, new StackTraceElement[0]));
        assertEquals(Activity.RUNNING, IdlePoints.classify(Thread.State.NEW, BUSY));
    }

    @Test
    void emptyWaitingStackIsWaiting() {
        assertEquals(Activity.WAITING, IdlePoints.classify(Thread.State.WAITING, new StackTraceElement[0]));
    }
}
