package io.threadleak.prove;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The dump's checks that need no target. */
class TargetDumpTest {

    @Test
    void refusesWhenFreeDiskIsUnderOnePointTwoTimesTheHeapInUse() {
        long heap = 1000L << 20;
        assertTrue(TargetDump.enoughDisk(1200L << 20, heap));
        assertFalse(TargetDump.enoughDisk((1200L << 20) - 1, heap));
        assertFalse(TargetDump.enoughDisk(heap, heap));
    }

    @Test
    void featureReleaseOfAVersionString() {
        assertEquals(17, TargetDump.feature("17.0.15"));
        assertEquals(25, TargetDump.feature("25"));
        assertEquals(21, TargetDump.feature("21-ea"));
        assertEquals(8, TargetDump.feature("1.8.0_402"));
    }
}
