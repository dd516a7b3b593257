package io.threadleak.apptest;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.FramePolicy;
import io.threadleak.core.site.SiteTable;
import io.threadleak.core.site.StackCapture;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link SiteTable#find}, the thread-start fast path, on frames really walked. Lives outside
 * {@code io.threadleak.core} because the agent's own packages are never blamed.
 */
class SiteFindTest {

    private static final FramePolicy HERE = new FramePolicy(List.of(SiteFindTest.class.getPackageName()), List.of());

    /** The caller's stack, walked down to the first frame in this package, as the bridge walks at a thread start. */
    private static List<StackWalker.StackFrame> walk(FramePolicy policy) {
        return StackWalker.getInstance().walk(frames -> {
            List<StackWalker.StackFrame> out = new ArrayList<>();
            for (Iterator<StackWalker.StackFrame> it = frames.skip(1).iterator(); it.hasNext(); ) {
                StackWalker.StackFrame f = it.next();
                out.add(f);
                if (policy.isBlameable(f.getClassName())) {
                    break;
                }
            }
            return out;
        });
    }

    private static List<StackWalker.StackFrame> startA(FramePolicy policy) {
        return walk(policy);
    }

    private static List<StackWalker.StackFrame> startB(FramePolicy policy) {
        return walk(policy);
    }

    @Test
    void aKnownSiteIsFoundFromWalkedFramesAndANewOneIsNot() {
        SiteTable sites = new SiteTable(HERE, 1000);
        List<StackWalker.StackFrame> a = startA(HERE);
        assertNull(sites.find(a, null), "a site never interned is not found");
        CreationSite site = sites.intern(StackCapture.of(a), new StackCapture(32), null);
        assertSame(site, sites.find(startA(HERE), null), "walked again from the same line: the same site");
        assertNull(sites.find(startB(HERE), null), "another line is another site");
    }

    @Test
    void aSiteWithoutAnApplicationFrameIsFoundPerCreator() {
        SiteTable sites = new SiteTable(HERE, 1000);
        CreationSite creator = sites.intern(StackCapture.of(startA(HERE)), new StackCapture(32), null);
        CreationSite other = sites.intern(StackCapture.of(startB(HERE)), new StackCapture(32), null);
        FramePolicy elsewhere = new FramePolicy(List.of("com.nowhere"), List.of());
        SiteTable library = new SiteTable(elsewhere, 1000);
        List<StackWalker.StackFrame> noApp = walk(elsewhere);
        CreationSite borrowed = library.intern(StackCapture.of(noApp), new StackCapture(32), creator);
        assertSame(borrowed, library.find(noApp, creator));
        assertNull(library.find(noApp, other), "not under another creator");
    }

    @Test
    void findKeepsWorkingAsTheIndexGrows() {
        SiteTable sites = new SiteTable(HERE, 5000);
        StackTraceElement start = new StackTraceElement("java.lang.Thread", "start", "Thread.java", 1);
        for (int i = 0; i < 700; i++) {
            sites.intern(StackCapture.of(new StackTraceElement[] {start,
                new StackTraceElement(SiteFindTest.class.getName(), "other", "SiteFindTest.java", i)}), null);
        }
        CreationSite site = sites.intern(StackCapture.of(startA(HERE)), new StackCapture(32), null);
        assertSame(site, sites.find(startA(HERE), null));
    }
}
