package io.threadleak.apptest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.threadleak.core.registry.ThreadIds;
import io.threadleak.core.registry.ThreadRegistry;
import io.threadleak.core.registry.ThreadTracker;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.FramePolicy;
import io.threadleak.core.site.SiteTable;
import io.threadleak.core.site.StackCapture;
import io.threadleak.core.testutil.FakeClock;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Start keys: threads whose application task class was seen starting from one place are recorded there without a
 * walk, one start in 64 still checked; a class started from two places is walked every time once a check sees it.
 * The test plays the bridge: it asks for a known start first and walks only when told to.
 */
class StartKeyTest {

    private static final String APP = StartKeyTest.class.getPackageName();
    private static final StackWalker WALKER = StackWalker.getInstance();

    private final ThreadRegistry registry = new ThreadRegistry();
    private final ThreadTracker tracker = new ThreadTracker(registry,
            new SiteTable(new FramePolicy(List.of(APP), List.of()), 100), new StackCapture(32),
            new FakeClock(5_000_000_000L, 1_700_000_000_000L));
    private int walks;

    /** What the bridge does for one start: the known site if the key gives it, else the walk. */
    private CreationSite start(Runnable task, Object key, Supplier<List<StackWalker.StackFrame>> walk) {
        Thread t = new Thread(task);
        if (!tracker.threadStartingKnown(t, key, false)) {
            walks++;
            tracker.threadStarting(t, walk.get(), key);
        }
        return registry.get(ThreadIds.of(t)).site();
    }

    private static List<StackWalker.StackFrame> walk() {
        return WALKER.walk(s -> s.skip(1).limit(8).collect(Collectors.toList()));
    }

    private CreationSite startHere(Runnable task, Object key) {
        return start(task, key, () -> walk()); // this lambda is the first application frame: the blame
    }

    private CreationSite startThere(Runnable task, Object key) {
        return start(task, key, () -> walk());
    }

    @Test
    void aTaskClassStartedFromOnePlaceIsWalkedOnlyToLearnAndToCheck() {
        Runnable task = () -> { };
        Object key = tracker.startKey(task);
        assertNotNull(key);
        CreationSite first = startHere(task, key);
        for (int i = 1; i < 200; i++) {
            assertSame(first, startHere(task, key));
        }
        assertEquals(8 + 192 / 64, walks); // eight to learn, then one in 64
        assertEquals(200, first.started());
    }

    @Test
    void aTaskClassStartedFromTwoPlacesIsWalkedEveryTimeOnceACheckSeesTheSecond() {
        Runnable task = () -> { };
        Object key = tracker.startKey(task);
        CreationSite here = null;
        for (int i = 0; i < 20; i++) {
            here = startHere(task, key);
        }
        int misplaced = 0;
        CreationSite there = null;
        for (int i = 0; i < 100; i++) {
            CreationSite s = startThere(task, key);
            if (s == here) {
                misplaced++; // counted at the first place until a check walks it
            } else {
                there = s;
            }
        }
        assertNotNull(there);
        assertNotSame(here, there);
        assertEquals(true, misplaced < 64, "misplaced " + misplaced);
        int walksBefore = walks;
        for (int i = 0; i < 10; i++) {
            assertSame(here, startHere(task, key));
            assertSame(there, startThere(task, key));
        }
        assertEquals(walksBefore + 20, walks);
    }

    @Test
    void theJdksOwnTasksHaveNoKey() {
        assertNull(tracker.startKey(new Thread()));
        assertNull(tracker.startKey(null));
    }
}
