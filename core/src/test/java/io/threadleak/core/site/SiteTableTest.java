package io.threadleak.core.site;

import static io.threadleak.core.testutil.Fixtures.f;
import static io.threadleak.core.testutil.Fixtures.threadStart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SiteTableTest {

    private final FramePolicy policy = new FramePolicy(List.of("com.acme"), List.of());
    private final SiteTable table = new SiteTable(policy, 1000);

    private static StackCapture.RawStack raw(StackTraceElement... frames) {
        return StackCapture.of(frames);
    }

    /** A pool worker started by the JDK on behalf of a library scheduler loop: no application frame. */
    private static StackTraceElement[] schedulerWorkerStart(int schedulerLine) {
        return new StackTraceElement[] {
            threadStart(),
            f("java.util.concurrent.ThreadPoolExecutor", "addWorker", 945),
            f("java.util.concurrent.ThreadPoolExecutor", "execute", 1364),
            f("org.lib.sched.Scheduler", "tick", schedulerLine),
            f("java.lang.Thread", "run", 833),
        };
    }

    @Test
    void sameLineThroughDifferentCallersIsOneSite() {
        StackTraceElement[] viaA = {threadStart(), f("com.acme.Svc", "spawn", 10), f("com.acme.Web", "handleA", 20),
            f("com.acme.Main", "main", 3)};
        StackTraceElement[] viaB = {threadStart(), f("com.acme.Svc", "spawn", 10), f("com.acme.Web", "handleB", 30)};
        CreationSite a = table.intern(raw(viaA), null);
        CreationSite b = table.intern(raw(viaB), null);
        assertSame(a, b);
        assertEquals(1, table.all().size());
        assertEquals("com.acme.Svc.spawn(Svc.java:10)", a.blame());
        assertEquals(1, a.blameIndex());
        assertEquals("handleA", a.frames()[2].getMethodName(), "the first full stack seen is kept");
        assertTrue(a.blamesApplication());
        assertNull(a.parent());
        assertFalse(a.jdkInternal());
    }

    @Test
    void differentBlameLinesAreDifferentSites() {
        CreationSite a = table.intern(raw(threadStart(), f("com.acme.Svc", "spawn", 10)), null);
        CreationSite b = table.intern(raw(threadStart(), f("com.acme.Svc", "spawn", 11)), null);
        CreationSite c = table.intern(raw(threadStart(), f("com.acme.Svc", "other", 10)), null);
        assertNotSame(a, b);
        assertNotSame(a, c);
        assertNotEquals(a.id(), b.id());
        assertEquals("com.acme.Svc.spawn(Svc.java:11)", b.blame());
        assertEquals(3, table.all().size());
    }

    @Test
    void differentLibraryPathsToOneAppLineAreDifferentSites() {
        CreationSite a = table.intern(raw(threadStart(), f("org.lib.Pool", "grow", 5), f("com.acme.Svc", "init", 7)),
                null);
        CreationSite b = table.intern(raw(threadStart(), f("org.lib.Pool", "refill", 9), f("com.acme.Svc", "init", 7)),
                null);
        assertNotSame(a, b, "the library frames between blame and start are part of the site");
        assertEquals(a.blame(), b.blame());
        assertEquals(2, a.blameIndex());
    }

    @Test
    void stackWithoutAppFrameBorrowsTheCreatorsBlame() {
        CreationSite creator = table.intern(raw(threadStart(), f("org.lib.sched.Scheduler", "start", 50),
                f("com.acme.Jobs", "init", 12), f("com.acme.Main", "main", 4)), null);
        CreationSite child = table.intern(raw(schedulerWorkerStart(40)), creator);
        assertSame(creator, child.parent());
        assertEquals("com.acme.Jobs.init(Jobs.java:12)", child.blame());
        assertSame(creator.blameFrame(), child.blameFrame());
        assertEquals(-1, child.blameIndex(), "the blame is not in the child's own frames");
        assertTrue(child.blamesApplication());
        assertFalse(child.jdkInternal());
        assertSame(child, table.intern(raw(schedulerWorkerStart(40)), creator));

        CreationSite otherCreator = table.intern(raw(threadStart(), f("com.acme.Reports", "init", 99)), null);
        CreationSite otherChild = table.intern(raw(schedulerWorkerStart(40)), otherCreator);
        assertNotSame(child, otherChild, "one site per creating site");
        assertEquals("com.acme.Reports.init(Reports.java:99)", otherChild.blame());
    }

    @Test
    void borrowingGoesUpTheWholeChain() {
        CreationSite root = table.intern(raw(threadStart(), f("com.acme.App", "boot", 8)), null);
        CreationSite mid = table.intern(raw(schedulerWorkerStart(40)), root);
        CreationSite leaf = table.intern(raw(schedulerWorkerStart(41)), mid);
        assertSame(mid, leaf.parent());
        assertSame(root, mid.parent());
        assertEquals("com.acme.App.boot(App.java:8)", leaf.blame());
        assertTrue(leaf.blamesApplication());
    }

    @Test
    void ownAppFrameWinsOverTheCreator() {
        CreationSite creator = table.intern(raw(threadStart(), f("com.acme.App", "boot", 8)), null);
        CreationSite own = table.intern(raw(threadStart(), f("com.acme.Worker", "fork", 3)), creator);
        assertNull(own.parent());
        assertEquals("com.acme.Worker.fork(Worker.java:3)", own.blame());
        assertSame(own, table.intern(raw(threadStart(), f("com.acme.Worker", "fork", 3)), null),
                "the creator plays no part when the stack has its own blame");
    }

    @Test
    void libraryOnlyStackFallsBackToFirstLibraryFrameWithoutBlamingApplication() {
        CreationSite lib = table.intern(raw(threadStart(), f("org.lib.Pool", "grow", 5), f("org.lib.Pool", "run", 9)),
                null);
        assertEquals("org.lib.Pool.grow(Pool.java:5)", lib.blame());
        assertEquals(1, lib.blameIndex());
        assertFalse(lib.blamesApplication());
        assertFalse(lib.jdkInternal());
        assertNull(lib.parent());
    }

    @Test
    void jdkOnlyStackWithoutCreatorIsJdkInternal() {
        CreationSite jdk = table.intern(raw(threadStart(), f("java.lang.ref.Reference", "startHandler", 300),
                f("java.lang.ref.Reference", "<clinit>", 310)), null);
        assertTrue(jdk.jdkInternal());
        assertNull(jdk.blameFrame());
        assertEquals("<jdk>", jdk.blame());
        assertEquals(-1, jdk.blameIndex());
        assertFalse(jdk.blamesApplication());

        CreationSite fromJdk = table.intern(raw(schedulerWorkerStart(40)[0], schedulerWorkerStart(40)[1]), jdk);
        assertNull(fromJdk.parent(), "a JDK-internal creator lends no blame");
        assertTrue(fromJdk.jdkInternal());
    }

    @Test
    void formatHandlesNativeUnknownAndNoLine() {
        assertEquals("a.B.c(B.java:3)", CreationSite.format(new StackTraceElement("a.B", "c", "B.java", 3)));
        assertEquals("a.B.c(B.java)", CreationSite.format(new StackTraceElement("a.B", "c", "B.java", -1)));
        assertEquals("a.B.c(Unknown Source)", CreationSite.format(new StackTraceElement("a.B", "c", null, 3)));
        assertEquals("a.B.c(Native Method)", CreationSite.format(new StackTraceElement("a.B", "c", "B.java", -2)));
    }

    @Test
    void startAndEndCountsArePerSite() {
        CreationSite a = table.intern(raw(threadStart(), f("com.acme.Svc", "spawn", 10)), null);
        a.onStart();
        a.onStart();
        a.onEndInternal();
        assertEquals(2, a.started());
        assertEquals(1, a.ended());
    }

    @Test
    void pastMaxSitesNewStacksFoldIntoOneSitePerBlameFrame() {
        SiteTable small = new SiteTable(policy, 2);
        Set<CreationSite> returned = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int blameLine = i % 2 == 0 ? 10 : 20;
            CreationSite s = small.intern(raw(threadStart(), f("org.lib.Pool", "grow", 1000 + i),
                    f("com.acme.Svc", "spawn", blameLine), f("com.acme.Web", "handle" + i, i)), null);
            returned.add(s);
            assertEquals("com.acme.Svc.spawn(Svc.java:" + blameLine + ")", s.blame(), "stack " + i);
            assertTrue(s.blamesApplication());
            assertSame(s, small.intern(raw(threadStart(), f("org.lib.Pool", "grow", 1000 + i),
                    f("com.acme.Svc", "spawn", blameLine)), null), "interning again finds the same site");
        }
        assertTrue(small.all().size() <= 4, "2 sites + one folded site per blame frame, got " + small.all().size());
        assertTrue(returned.size() <= 4);
        assertTrue(small.all().containsAll(returned));
    }

    @Test
    void foldedInheritedSitesStayBoundedAndKeepTheCreatorsBlame() {
        SiteTable small = new SiteTable(policy, 2);
        CreationSite creator = small.intern(raw(threadStart(), f("com.acme.Jobs", "init", 12)), null);
        for (int i = 0; i < 100; i++) {
            StackTraceElement[] frames = schedulerWorkerStart(40);
            frames[frames.length - 1] = f("org.lib.sched.Loop", "run" + i, i);
            CreationSite s = small.intern(raw(frames), creator);
            assertEquals("com.acme.Jobs.init(Jobs.java:12)", s.blame());
            assertTrue(s.blamesApplication());
        }
        for (int i = 0; i < 100; i++) {
            CreationSite jdk = small.intern(raw(threadStart(), f("java.lang.ref.Reference", "m" + i, i)), null);
            assertTrue(jdk.jdkInternal(), "JDK-only stacks stay JDK-internal when folded");
        }
        assertTrue(small.all().size() <= 5, "got " + small.all().size());
    }
}
