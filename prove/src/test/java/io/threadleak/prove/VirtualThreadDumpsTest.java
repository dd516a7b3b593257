package io.threadleak.prove;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The JDK 21 refusal, with synthetic inputs: no JDK 21 (nor 19 or 20) is installed here, so this is the only test
 * of that branch; JDK 17 and 25 are also exercised against real dumps by {@code ProveDemoTest}.
 */
class VirtualThreadDumpsTest {

    @Test
    void jdk21WithVirtualThreadsIsRefusedWithAMessageNamingTheJdk() {
        String why = VirtualThreadDumps.refusal(21, true);
        assertNotNull(why);
        assertTrue(why.contains("JDK 21") && why.contains("virtual threads") && why.contains("nothing is proven"), why);
    }

    @Test
    void previewVirtualThreadsOfJdk19And20AreRefusedToo() {
        assertNotNull(VirtualThreadDumps.refusal(19, true));
        assertNotNull(VirtualThreadDumps.refusal(20, true));
    }

    @Test
    void jdk21WithoutVirtualThreadsIsProvenAsUsual() {
        assertNull(VirtualThreadDumps.refusal(21, false));
    }

    @Test
    void jdk22AndLaterWriteVirtualThreadStacksSoTheyAreProven() {
        assertNull(VirtualThreadDumps.refusal(22, true));
        assertNull(VirtualThreadDumps.refusal(25, true));
    }

    @Test
    void jdk17HasNoVirtualThreads() {
        assertNull(VirtualThreadDumps.refusal(17, false));
        assertNull(VirtualThreadDumps.refusal(17, true), "an unreadable dump of JDK 17 is not taken for virtual threads");
    }

    @Test
    void onlyJdk19To21DumpsAreSearchedForVirtualThreads() {
        assertFalse(VirtualThreadDumps.mayRefuse(17));
        assertFalse(VirtualThreadDumps.mayRefuse(18));
        assertTrue(VirtualThreadDumps.mayRefuse(19));
        assertTrue(VirtualThreadDumps.mayRefuse(21));
        assertFalse(VirtualThreadDumps.mayRefuse(22));
        assertFalse(VirtualThreadDumps.mayRefuse(25));
    }
}
