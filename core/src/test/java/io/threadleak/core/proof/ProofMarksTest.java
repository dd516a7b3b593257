package io.threadleak.core.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.proof.ProofMark.Verdict;
import io.threadleak.core.rules.RuleName;
import io.threadleak.core.rules.Suspect;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.testutil.Fixtures;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Matching what {@code prove --format json} printed to the suspects it is about. */
class ProofMarksTest {

    static final long NOW_NANOS = 500_000_000_000L;
    static final long NOW_MILLIS = Instant.parse("2026-11-30T18:20:05Z").toEpochMilli();
    static final String DUMPED_AT = "2026-11-30T18:20:01Z";
    static final String LATCH = "java.util.concurrent.CountDownLatch$Sync@1b6d3586";

    final ThreadSnapshot waiter = Fixtures.snap(31).name("batch-coordinator-1").waitsOn(Fixtures.latch(0x1b6d3586))
            .stack(Fixtures.latchWait("Waiter", "run", 14)).build();
    final ThreadSnapshot other = Fixtures.snap(32).name("batch-coordinator-2").waitsOn(Fixtures.latch(0x1b6d3586))
            .stack(Fixtures.latchWait("Waiter", "run", 14)).build();

    static Suspect suspect(RuleName rule, String key, long sinceNanos, ThreadSnapshot... exemplars) {
        return new Suspect(key, rule, "thread", null, "com.acme.Waiter.run(Waiter.java:14)", exemplars.length,
                Map.of("WAITING", exemplars.length), exemplars[0].waitsOn(), null, sinceNanos, List.of(exemplars),
                List.of());
    }

    /** The output of prove: tid 31 proven, tid 32 not proven, on the same latch unless told otherwise. */
    static String json(String waitsOn32) {
        return "{\"pid\":4242,\"jdk\":\"17.0.15\",\"dumpedAt\":\"" + DUMPED_AT + "\",\"pauseMillis\":70,"
                + "\"analysisMillis\":1800,\"refused\":null,\"proven\":[{\"thread\":\"batch-coordinator-1\",\"tid\":31,"
                + "\"state\":\"WAITING (parking)\",\"waitsOn\":\"" + LATCH + "\",\"owner\":null,"
                + "\"reason\":\"nothing that can run reaches what it waits on\",\"blame\":\"x\",\"interruptibleVia\":null,"
                + "\"stack\":[\"a.B.c(B.java:1)\"]}],\"notProven\":[{\"thread\":\"batch-coordinator-2\",\"tid\":32,"
                + "\"state\":\"WAITING (parking)\",\"waitsOn\":\"" + waitsOn32 + "\",\"owner\":null,"
                + "\"path\":\"static com.acme.Holder.LATCH -> java.util.concurrent.CountDownLatch.sync -> x\"},"
                + "{\"thread\":\"Finalizer\",\"tid\":3,\"state\":\"WAITING (on object monitor)\",\"waitsOn\":\"q@1\","
                + "\"owner\":null,\"path\":\"static java.lang.ref.Finalizer.queue\"}],\"caveats\":[\"\\u0041 \\\"quoted\\\"\"]}";
    }

    private final ProofMarks marks = new ProofMarks();

    private List<ProofMarks.Picked> deliver(String json, List<Suspect> current) {
        marks.offer(ProofResult.parse(json, "agent"));
        return marks.update(current, NOW_NANOS, NOW_MILLIS);
    }

    @Test
    void aProvenThreadMarksItsStuckSuspectProvenWithTheDumpThatDecidedIt() {
        Suspect s = suspect(RuleName.STUCK, "STUCK a", NOW_NANOS - 60_000_000_000L, waiter);
        List<ProofMarks.Picked> picked = deliver(json(LATCH), List.of(s));

        assertEquals(1, picked.size());
        ProofMark m = marks.marks().get("STUCK a");
        assertEquals(Verdict.PROVEN, m.verdict());
        assertEquals(1, m.threads().size());
        ProofMark.ThreadMark t = m.threads().get(0);
        assertEquals(31, t.id());
        assertTrue(t.proven());
        assertEquals("nothing that can run reaches what it waits on", t.why());
        assertEquals(Instant.parse(DUMPED_AT).toEpochMilli(), t.dumpedAtMillis());
        assertEquals(70, t.pauseMillis());
        assertEquals("agent", t.source());
        assertEquals(Map.of(s, m), picked.get(0).marked());
    }

    @Test
    void aThreadNotProvenCarriesThePathThatMayStillWakeIt() {
        Suspect s = suspect(RuleName.STUCK, "STUCK b", NOW_NANOS - 60_000_000_000L, other);
        deliver(json(LATCH), List.of(s));

        ProofMark m = marks.marks().get("STUCK b");
        assertEquals(Verdict.NOT_PROVEN, m.verdict());
        assertFalse(m.threads().get(0).proven());
        assertTrue(m.threads().get(0).why().startsWith("static com.acme.Holder.LATCH"), m.toString());
    }

    @Test
    void aSuspectWithOneProvenAndOneUnprovenThreadIsPartlyProven() {
        Suspect s = suspect(RuleName.STUCK, "STUCK c", NOW_NANOS - 60_000_000_000L, waiter, other);
        deliver(json(LATCH), List.of(s));
        assertEquals(Verdict.PARTLY_PROVEN, marks.marks().get("STUCK c").verdict());
    }

    @Test
    void aDeadlockIsMatchedLikeAStuckSuspect() {
        Suspect s = suspect(RuleName.DEADLOCK, "DEADLOCK [31]", NOW_NANOS - 10_000_000_000L, waiter);
        deliver(json(LATCH), List.of(s));
        assertEquals(Verdict.PROVEN, marks.marks().get("DEADLOCK [31]").verdict());
    }

    @Test
    void otherRulesAreNeverMarked() {
        Suspect s = suspect(RuleName.GROWING, "GROWING a", NOW_NANOS - 60_000_000_000L, waiter);
        List<ProofMarks.Picked> picked = deliver(json(LATCH), List.of(s));
        assertTrue(marks.marks().isEmpty());
        assertTrue(picked.get(0).marked().isEmpty());
    }

    @Test
    void aThreadThatWaitsOnSomethingElseNowIsNotMatched() {
        Suspect s = suspect(RuleName.STUCK, "STUCK d", NOW_NANOS - 60_000_000_000L, other);
        deliver(json("java.util.concurrent.CountDownLatch$Sync@7777"), List.of(s));
        assertNull(marks.marks().get("STUCK d"), "a proof of another wait says nothing about this one");
    }

    @Test
    void aSuspectThatBeganAfterTheDumpIsNotMarked() {
        // the dump was taken 4 s before now; this suspect's wait began 1 s ago
        Suspect s = suspect(RuleName.STUCK, "STUCK e", NOW_NANOS - 1_000_000_000L, waiter);
        deliver(json(LATCH), List.of(s));
        assertTrue(marks.marks().isEmpty());
    }

    @Test
    void aSuspectThreadTheProofDidNotExamineIsNotProvenAndSaysWhy() {
        ThreadSnapshot sleeper = Fixtures.snap(77).name("sleeper").build();
        Suspect s = suspect(RuleName.STUCK, "STUCK f", NOW_NANOS - 60_000_000_000L, sleeper);
        deliver(json(LATCH), List.of(s));
        ProofMark m = marks.marks().get("STUCK f");
        assertEquals(Verdict.NOT_PROVEN, m.verdict());
        assertEquals(ProofMarks.NOT_CANDIDATE, m.threads().get(0).why());
    }

    @Test
    void aRefusedProofMarksNothingProvenAndSaysWhy() {
        String refused = json(LATCH).replace("\"refused\":null", "\"refused\":\"JDK 21 ... nothing is proven\"")
                .replaceAll("\"proven\":\\[.*?\\}\\],\"notProven\"", "\"proven\":[],\"notProven\"");
        Suspect s = suspect(RuleName.STUCK, "STUCK g", NOW_NANOS - 60_000_000_000L, waiter);
        List<ProofMarks.Picked> picked = deliver(refused, List.of(s));
        assertEquals("JDK 21 ... nothing is proven", picked.get(0).result().refused());
        ProofMark m = marks.marks().get("STUCK g");
        assertEquals(Verdict.NOT_PROVEN, m.verdict());
        assertEquals("JDK 21 ... nothing is proven", m.threads().get(0).why());
    }

    @Test
    void marksStayWhileTheSuspectHoldsAndGoWhenItResolves() {
        Suspect s = suspect(RuleName.STUCK, "STUCK h", NOW_NANOS - 60_000_000_000L, waiter);
        deliver(json(LATCH), List.of(s));
        marks.update(List.of(s), NOW_NANOS + 5_000_000_000L, NOW_MILLIS + 5000);
        assertEquals(Verdict.PROVEN, marks.marks().get("STUCK h").verdict(), "a proven thread stays proven");

        marks.update(List.of(), NOW_NANOS + 10_000_000_000L, NOW_MILLIS + 10_000);
        assertTrue(marks.marks().isEmpty());
        marks.update(List.of(s), NOW_NANOS + 15_000_000_000L, NOW_MILLIS + 15_000);
        assertTrue(marks.marks().isEmpty(), "the thread's mark went with its suspect: nothing is kept unbounded");
    }

    @Test
    void onlyAFewResultsWaitForTheSampler() {
        for (int i = 0; i < 10; i++) {
            marks.offer(ProofResult.parse(json(LATCH), "agent"));
        }
        assertEquals(4, marks.update(List.of(), NOW_NANOS, NOW_MILLIS).size());
    }

    @Test
    void textThatIsNotTheOutputOfProveIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ProofResult.parse("{\"pid\":1}", "x"));
        assertThrows(IllegalArgumentException.class, () -> ProofResult.parse("{\"proven\":[],\"notProven\":[]", "x"));
        assertThrows(IllegalArgumentException.class, () -> ProofResult.parse("[1,2]", "x"));
        assertThrows(IllegalArgumentException.class, () -> ProofResult.parse("{\"proven\":[{}],\"notProven\":[]}", "x"));
        assertThrows(IllegalArgumentException.class, () -> ProofResult.parse("[".repeat(100), "x"));
        assertThrows(IllegalArgumentException.class, () -> ProofJson.parse("{\"a\":1,\"a\":2}"));
        assertThrows(IllegalArgumentException.class, () -> ProofJson.parse("\"a\tb\""));
    }

    @Test
    void theParserReadsEscapesNumbersAndLiterals() {
        Object v = ProofJson.parse(" {\"a\":[1,-2,3.5e1,true,false,null],\"b\":\"\\u00e9\\n\\\"\"} ");
        assertEquals(Map.of("a", java.util.Arrays.asList(1L, -2L, 35.0, true, false, null), "b", "é\n\""), v);
    }
}
