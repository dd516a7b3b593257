package io.threadleak.core.testutil;

import io.threadleak.core.registry.ThreadRecord;
import io.threadleak.core.registry.ExecutorRecord;
import io.threadleak.core.sample.Activity;
import io.threadleak.core.sample.ExecutorSnapshot;
import io.threadleak.core.sample.FutureView;
import io.threadleak.core.sample.Sample;
import io.threadleak.core.sample.TaskView;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.sample.WaitTarget;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.FramePolicy;
import io.threadleak.core.site.SiteTable;
import io.threadleak.core.site.StackCapture;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-made stacks, sites, records, snapshots and samples, so rules can be driven without real threads. */
public final class Fixtures {

    /** Application code lives in {@code com.acme}. */
    public static final String APP = "com.acme";
    public static final FramePolicy POLICY = new FramePolicy(List.of(APP), List.of());

    public static final long SECOND = 1_000_000_000L;

    private Fixtures() {
    }

    /** A frame with a file name derived from the class's simple name. */
    public static StackTraceElement f(String cls, String method, int line) {
        String simple = cls.substring(cls.lastIndexOf('.') + 1);
        int dollar = simple.indexOf('$');
        if (dollar >= 0) {
            simple = simple.substring(0, dollar);
        }
        return new StackTraceElement(cls, method, simple + ".java", line);
    }

    public static StackTraceElement[] stack(StackTraceElement... frames) {
        return frames;
    }

    /** {@code java.lang.Thread.start}: the innermost frame of every creation stack. */
    public static StackTraceElement threadStart() {
        return f("java.lang.Thread", "start", 800);
    }

    public static SiteTable table() {
        return new SiteTable(POLICY, 1000);
    }

    /** A site whose creation stack is {@code Thread.start} called from {@code com.acme.<cls>.<method>:line}. */
    public static CreationSite appSite(SiteTable table, String cls, String method, int line) {
        return table.intern(StackCapture.of(stack(threadStart(), f(APP + "." + cls, method, line),
                f(APP + ".Main", "main", 5))), null);
    }

    /** A site created by the JDK alone. */
    public static CreationSite jdkSite(SiteTable table) {
        return table.intern(StackCapture.of(stack(threadStart(),
                f("java.lang.ref.Reference", "startReferenceHandlerThread", 300))), null);
    }

    public static ThreadRecord record(long id, String name, CreationSite site) {
        return new ThreadRecord(null, id, name, false, false, site, 1, "main", 1_700_000_000_000L, 0,
                site == null ? ThreadRecord.Origin.PREEXISTING : ThreadRecord.Origin.STARTED);
    }

    /** The current stack of a thread parked in {@code CountDownLatch.await} from {@code com.acme.<cls>.<method>}. */
    public static StackTraceElement[] latchWait(String cls, String method, int line) {
        return stack(
                f("jdk.internal.misc.Unsafe", "park", -2),
                f("java.util.concurrent.locks.LockSupport", "park", 211),
                f("java.util.concurrent.locks.AbstractQueuedSynchronizer", "acquire", 715),
                f("java.util.concurrent.locks.AbstractQueuedSynchronizer", "acquireSharedInterruptibly", 1047),
                f("java.util.concurrent.CountDownLatch", "await", 230),
                f(APP + "." + cls, method, line),
                f("java.lang.Thread", "run", 833));
    }

    public static WaitTarget latch(int identity) {
        return new WaitTarget("java.util.concurrent.CountDownLatch$Sync", identity);
    }

    public static Snap snap(long id) {
        return new Snap(id);
    }

    /** A builder of {@link ThreadSnapshot}: a WAITING non-daemon platform thread unless told otherwise. */
    public static final class Snap {
        private final long id;
        private String name;
        private boolean daemon;
        private boolean virtual;
        private Thread.State state = Thread.State.WAITING;
        private Activity activity = Activity.WAITING;
        private WaitTarget waitsOn;
        private long ownerId = -1;
        private String ownerName;
        private StackTraceElement[] stack = new StackTraceElement[0];
        private long waitCount = 1;
        private ThreadRecord record;
        private boolean exempt;
        private TaskView task;
        private FutureView waitsFor;
        private long unchangedSince = -1;

        Snap(long id) {
            this.id = id;
            this.name = "thread-" + id;
        }

        public Snap name(String n) {
            name = n;
            return this;
        }

        public Snap daemon(boolean d) {
            daemon = d;
            return this;
        }

        public Snap virtual(boolean v) {
            virtual = v;
            return this;
        }

        public Snap state(Thread.State s, Activity a) {
            state = s;
            activity = a;
            return this;
        }

        public Snap waitsOn(WaitTarget t) {
            waitsOn = t;
            return this;
        }

        public Snap owner(long oid, String oname) {
            ownerId = oid;
            ownerName = oname;
            return this;
        }

        public Snap stack(StackTraceElement... s) {
            stack = s;
            return this;
        }

        public Snap waitCount(long c) {
            waitCount = c;
            return this;
        }

        /** Gives the thread a record with this site. */
        public Snap site(CreationSite site) {
            record = Fixtures.record(id, name, site);
            return this;
        }

        public Snap record(ThreadRecord r) {
            record = r;
            return this;
        }

        public Snap exempt(boolean e) {
            exempt = e;
            return this;
        }

        /** The task the thread runs. */
        public Snap task(TaskView t) {
            task = t;
            return this;
        }

        /** The future the thread blocks on. */
        public Snap waitsFor(FutureView f) {
            waitsFor = f;
            return this;
        }

        /** Since when the sampler saw the thread as it is (a platform thread the sampler follows). */
        public Snap unchangedSince(long nanos) {
            unchangedSince = nanos;
            return this;
        }

        public ThreadSnapshot build() {
            return new ThreadSnapshot(id, name, daemon, virtual, state, activity, waitsOn, ownerId, ownerName,
                    Arrays.copyOf(stack, stack.length), waitCount, record, exempt, task, waitsFor, unchangedSince);
        }
    }

    /** A sample of these threads; live counts per site are computed from them. */
    public static Sample sample(long nanos, ThreadSnapshot... threads) {
        return sample(nanos, List.of(threads), List.of(), -1);
    }

    public static Sample sample(long nanos, List<ThreadSnapshot> threads, List<List<Long>> deadlocks,
                                long mainEndedNanos) {
        Map<CreationSite, Integer> live = new LinkedHashMap<>();
        for (ThreadSnapshot t : threads) {
            if (t.site() != null) {
                live.merge(t.site(), 1, Integer::sum);
            }
        }
        return new Sample(nanos, 1_700_000_000_000L + nanos / 1_000_000, threads, live, deadlocks, 0,
                mainEndedNanos);
    }

    /** A sample that only carries live counts per site (no thread details). */
    public static Sample counts(long nanos, Map<CreationSite, Integer> live) {
        return new Sample(nanos, 1_700_000_000_000L + nanos / 1_000_000, List.of(), live, List.of(), 0, -1);
    }

    /** A record of a worker thread of {@code executor} (an executor or a timer), started at {@code site}. */
    public static ThreadRecord worker(long id, String name, CreationSite site, ExecutorRecord executor) {
        ThreadRecord r = record(id, name, site);
        r.executor(executor);
        return r;
    }

    /** A sample with the executor-side details: live timers and queued tasks per site, and pool snapshots. */
    public static Sample sample(long nanos, List<ThreadSnapshot> threads, Map<CreationSite, Integer> liveBySite,
                                Map<CreationSite, Integer> liveTimersBySite, Map<CreationSite, Integer> queuedBySite,
                                List<ExecutorSnapshot> executors) {
        return new Sample(nanos, 1_700_000_000_000L + nanos / 1_000_000, threads, liveBySite, Map.of(), List.of(), 0,
                -1, liveTimersBySite, queuedBySite, executors);
    }
}
