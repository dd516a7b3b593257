package io.threadleak.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.rules.RuleName;
import io.threadleak.core.rules.Suspect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SuspectLedgerTest {

    private static final Report.Summary SUMMARY = new Report.Summary(10, 5, 2, 0, 0);
    private final SuspectLedger ledger = new SuspectLedger();
    private long millis = 1_000;

    static Suspect suspect(String key, int count) {
        return new Suspect(key, RuleName.STUCK, "thread", null, "com.acme.X.y(X.java:1)", count, Map.of("WAITING", count),
                null, null, 0, List.of(), List.of());
    }

    private Report report(Suspect... current) {
        millis += 1000;
        return ledger.report(millis, millis * 1_000_000, false, SUMMARY, List.of(current));
    }

    @Test
    void newThenOngoingThenGrownThenResolved() {
        Report r1 = report(suspect("a", 2));
        assertEquals(Status.NEW, r1.suspects().get(0).status());
        assertEquals(0, r1.suspects().get(0).reportedCount());
        assertEquals(1, r1.changed().size());

        Report r2 = report(suspect("a", 2));
        assertEquals(Status.ONGOING, r2.suspects().get(0).status());
        assertEquals(2, r2.suspects().get(0).reportedCount());
        assertEquals(List.of(), r2.changed());
        assertEquals(List.of(), r2.resolvedNow());

        Report r3 = report(suspect("a", 5));
        assertEquals(Status.GROWN, r3.suspects().get(0).status());
        assertEquals(2, r3.suspects().get(0).reportedCount(), "the count last reported, for the +3");

        Report r4 = report(suspect("a", 4));
        assertEquals(Status.ONGOING, r4.suspects().get(0).status(), "shrinking is not news");
        assertEquals(5, r4.suspects().get(0).reportedCount());

        Report r5 = report(suspect("a", 5));
        assertEquals(Status.ONGOING, r5.suspects().get(0).status(), "back to the reported count is not growth");

        Report r6 = report();
        assertEquals(List.of(), r6.suspects());
        assertEquals(1, r6.resolvedNow().size());
        Report.Entry gone = r6.resolvedNow().get(0);
        assertEquals(Status.RESOLVED, gone.status());
        assertEquals("a", gone.suspect().key());
        assertEquals(5, gone.reportedCount());
        assertEquals(millis, gone.resolvedAtMillis());
        assertEquals(List.of(gone), r6.resolvedAll());

        Report r7 = report();
        assertEquals(List.of(), r7.resolvedNow(), "resolved once");
        assertEquals(1, r7.resolvedAll().size(), "but remembered");

        Report r8 = report(suspect("a", 1));
        assertEquals(Status.NEW, r8.suspects().get(0).status(), "a returning suspect is new again");
    }

    @Test
    void suspectsAreTrackedByKeyIndependently() {
        report(suspect("a", 1), suspect("b", 1));
        Report r = report(suspect("b", 2), suspect("c", 1));
        assertEquals(List.of(Status.GROWN, Status.NEW), r.suspects().stream().map(Report.Entry::status).toList());
        assertEquals(List.of("a"), r.resolvedNow().stream().map(e -> e.suspect().key()).toList());
    }

    @Test
    void resolvedAllIsCappedAtHundredMostRecentLast() {
        List<Suspect> many = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            many.add(suspect("k" + i, 1));
        }
        report(many.toArray(new Suspect[0]));
        Report r = report();
        assertEquals(150, r.resolvedNow().size());
        assertEquals(100, r.resolvedAll().size());
        assertEquals("k149", r.resolvedAll().get(99).suspect().key());
        assertEquals("k50", r.resolvedAll().get(0).suspect().key());
        report(suspect("late", 1));
        Report r2 = report();
        assertEquals(100, r2.resolvedAll().size());
        assertEquals("late", r2.resolvedAll().get(99).suspect().key());
        assertEquals("k51", r2.resolvedAll().get(0).suspect().key());
    }

    @Test
    void reportCarriesItsInputs() {
        Report r = ledger.report(42, 43, true, SUMMARY, List.of());
        assertEquals(42, r.epochMillis());
        assertEquals(43, r.nanos());
        assertTrue(r.last());
        assertSame(SUMMARY, r.summary());
    }

    @Test
    void peekingChangesNothingOfTheNextReport() {
        report(suspect("a", 2), suspect("b", 1));
        Report peek = ledger.peek(5_000, 5_000_000_000L, SUMMARY, List.of(suspect("a", 3)));
        assertEquals(Status.GROWN, peek.suspects().get(0).status());
        assertEquals(1, peek.resolvedNow().size(), "b is gone");
        assertEquals(1, peek.resolvedAll().size());
        Report next = report(suspect("a", 3));
        assertEquals(Status.GROWN, next.suspects().get(0).status(), "still news to the log");
        assertEquals(1, next.resolvedNow().size());
        assertEquals(1, next.resolvedAll().size(), "the peek's resolved suspect was not remembered");
    }
}
