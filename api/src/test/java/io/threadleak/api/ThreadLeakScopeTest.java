package io.threadleak.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Without the agent (this module's tests run without it), the API does nothing. */
class ThreadLeakScopeTest {

    @Test
    void withoutTheAgentEveryScopeIsTheSharedNoOp() throws Exception {
        assertFalse(ThreadLeakScope.agentLoaded());
        ThreadLeakScope a = ThreadLeakScope.open("request-1");
        ThreadLeakScope b = ThreadLeakScope.open("request-2");
        assertSame(a, b, "no allocation per scope without the agent");
        assertFalse(a.followed());
        Thread t = new Thread(() -> { }, "in-scope");
        t.start();
        assertEquals(List.of(), a.leftovers());
        try (ThreadLeakScope.Attachment ignored = a.attach()) {
            assertEquals(List.of(), a.leftovers());
        }
        a.close();
        t.join();
    }

    @Test
    void aBridgeRowBecomesALeftoverAndAnythingElseIsIgnored() {
        StackTraceElement f = new StackTraceElement("com.acme.Handler", "handle", "Handler.java", 42);
        Thread t = Thread.currentThread();
        Leftover l = Leftover.of(new Object[] {"thread", "worker-1", "WAITING",
            "com.acme.Handler.handle(Handler.java:42)", new StackTraceElement[] {f}, new StackTraceElement[0],
            new Thread[] {t}, Boolean.TRUE});
        assertEquals("worker-1", l.name());
        assertEquals(List.of(f), l.creationStack());
        assertEquals(List.of(t), l.threads());
        assertTrue(l.settling());
        assertNull(Leftover.of("not a row"));
        assertNull(Leftover.of(new Object[] {1, 2, 3, 4, 5, 6, 7, 8}));
    }
}
