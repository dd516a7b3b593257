package io.threadleak.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.site.CreationSite;
import io.threadleak.core.testutil.Fixtures;
import org.junit.jupiter.api.Test;

/** The registry's bookkeeping of ends: counted once, per site too, whichever way a thread's end is seen. */
class ThreadRegistryTest {

    private final ThreadRegistry registry = new ThreadRegistry();
    private final CreationSite site = Fixtures.appSite(Fixtures.table(), "com.acme.Server", "handle", 42);

    private ThreadRecord record(long id, boolean virtual) {
        ThreadRecord r = new ThreadRecord(Thread.currentThread(), id, "t-" + id, virtual, true, site, -1, null, 0, 0,
                ThreadRecord.Origin.STARTED);
        registry.add(r);
        site.onStart();
        return r;
    }

    @Test
    void aThreadEndedByItsIdIsCountedOnce() {
        ThreadRecord r = record(1_000_001, true);
        assertSame(r, registry.get(1_000_001, true));
        registry.end(1_000_001, true);
        assertNull(registry.get(1_000_001, true));
        assertEquals(1, registry.endedCount());
        assertEquals(1, site.ended());
        registry.end(1_000_001, true);
        registry.end(r);
        assertEquals(1, registry.endedCount(), "an end seen again (by the sampler, or a second hook) is not counted");
        assertEquals(1, site.ended());
    }

    @Test
    void endingByIdLooksInTheThreadsKindOnly() {
        ThreadRecord platform = record(1_000_002, false);
        registry.end(1_000_002, true);
        assertSame(platform, registry.get(1_000_002, false));
        assertEquals(0, registry.endedCount());
    }

    @Test
    void aPlatformThreadsEndIsAppliedByTheNextCall() {
        ThreadRecord r = record(1_000_003, false);
        registry.end(1_000_003, false);
        assertNull(registry.get(1_000_003, false), "the end is applied before the lookup");
        assertEquals(1, registry.endedCount());
        assertEquals(1, site.ended());
        registry.end(r);
        assertEquals(1, registry.endedCount(), "an end seen again by the sampler is not counted");
    }

    @Test
    void everyReaderSeesNotedEnds() {
        record(1_000_004, false);
        registry.end(1_000_004, false);
        assertEquals(0, registry.size());
        record(1_000_005, false);
        registry.end(1_000_005, false);
        assertTrue(registry.platformRecords().isEmpty());
        record(1_000_006, false);
        registry.end(1_000_006, false);
        assertTrue(registry.records().isEmpty());
        assertEquals(3, registry.endedCount());
    }

    @Test
    void endsBeyondTheRingAreAppliedAtOnce() {
        int n = 5000; // more than the ring holds, with no call in between to take ends out
        for (int i = 0; i < n; i++) {
            registry.add(new ThreadRecord(Thread.currentThread(), 2_000_000 + i, "t", false, true, site, -1, null, 0,
                    0, ThreadRecord.Origin.STARTED));
        }
        for (int i = 0; i < n; i++) {
            registry.end(2_000_000 + i, false);
        }
        assertEquals(0, registry.size());
        assertEquals(n, registry.endedCount());
    }
}
