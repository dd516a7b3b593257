package io.threadleak.core.report;

import static io.threadleak.core.testutil.Json.arr;
import static io.threadleak.core.testutil.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.jmx.SuspectInfo;
import io.threadleak.core.jmx.ThreadLeakBean;
import io.threadleak.core.proof.ProofMark;
import io.threadleak.core.proof.ProofMark.ThreadMark;
import io.threadleak.core.proof.ProofMark.Verdict;
import io.threadleak.core.rules.Suspect;
import io.threadleak.core.testutil.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A proven suspect and one not proven, as the JSON, the log, the HTML page and the MXBean show them. */
class ProofRenderingTest {

    static final long DUMPED = Instant.parse("2026-11-30T18:20:01Z").toEpochMilli();

    final ReportSamples samples = new ReportSamples();
    final Suspect proven = samples.stuck(1);
    final Suspect unproven = samples.unknownSite();
    final ProofMark provenMark = new ProofMark(Verdict.PROVEN, List.of(new ThreadMark(31, "order-waiter-1", true,
            "nothing that can run reaches what it waits on", "agent", DUMPED, 70)));
    final ProofMark unprovenMark = new ProofMark(Verdict.NOT_PROVEN, List.of(new ThreadMark(50, "legacy", false,
            "static com.acme.Holder.LATCH -> java.util.concurrent.CountDownLatch.sync", "prove command", DUMPED, 70)));

    Report report() {
        return ReportSamples.report(false, new Report.Summary(3, 3, 1, 0, 0),
                List.of(ReportSamples.entry(proven, Status.NEW, 0), ReportSamples.entry(unproven, Status.ONGOING, 1)),
                List.of(), List.of()).withProofs(Map.of(proven.key(), provenMark, unproven.key(), unprovenMark));
    }

    @Test
    void jsonCarriesTheVerdictWhenByWhichDumpAndEachThread() {
        Map<String, Object> doc = obj(Json.parse(new JsonRenderer().render(report())));
        List<Object> suspects = arr(doc.get("suspects"));
        Map<String, Object> p = obj(obj(suspects.get(0)).get("proof"));
        assertEquals("PROVEN", p.get("verdict"));
        assertEquals("2026-11-30T18:20:01Z", p.get("dumpedAt"));
        Map<String, Object> t = obj(arr(p.get("threads")).get(0));
        assertEquals(31L, t.get("id"));
        assertEquals("order-waiter-1", t.get("name"));
        assertEquals(true, t.get("proven"));
        assertEquals("nothing that can run reaches what it waits on", t.get("reason"));
        assertEquals("agent", t.get("by"));
        assertEquals(70L, t.get("pauseMillis"));

        Map<String, Object> q = obj(obj(suspects.get(1)).get("proof"));
        assertEquals("NOT_PROVEN", q.get("verdict"));
        Map<String, Object> u = obj(arr(q.get("threads")).get(0));
        assertEquals(false, u.get("proven"));
        assertTrue(((String) u.get("path")).startsWith("static com.acme.Holder.LATCH"));
    }

    @Test
    void aSuspectWithoutProofHasANullProof() {
        Report r = report().withProofs(Map.of());
        Map<String, Object> s = obj(arr(obj(Json.parse(new JsonRenderer().render(r))).get("suspects")).get(0));
        assertTrue(s.containsKey("proof"));
        assertNull(s.get("proof"));
    }

    @Test
    void theLogBlockAndTheFinalLineSayIt() {
        Report r = report();
        String block = new TextRenderer().blocks(r).get(0);
        assertTrue(block.contains("PROVEN by the heap dump of 2026-11-30T18:20:01Z (agent, paused 70 ms): "
                + "\"order-waiter-1\" #31 can never wake: nothing that can run reaches what it waits on"), block);

        Report last = ReportSamples.report(true, r.summary(), List.of(ReportSamples.entry(unproven, Status.ONGOING, 1)),
                List.of(), List.of()).withProofs(r.proofs());
        String still = new TextRenderer().blocks(last).get(0);
        assertTrue(still.startsWith("still STUCK") && still.endsWith("(NOT PROVEN by the heap dump of 2026-11-30T18:20:01Z)"),
                still);
    }

    @Test
    void theHtmlPageShowsABadgeAndTheProof() {
        String html = new HtmlRenderer().render(report());
        assertTrue(html.contains("<span class=\"badge proof PROVEN\">PROVEN</span>"), "badge");
        assertTrue(html.contains("<span class=\"badge proof NOT_PROVEN\">NOT PROVEN</span>"), "badge");
        assertTrue(html.contains("<h4>Proof</h4>"));
        assertTrue(html.contains("may still wake: static com.acme.Holder.LATCH"));
    }

    @Test
    void theMxBeanSaysItPerSuspect() {
        Report r = report();
        ThreadLeakBean bean = new ThreadLeakBean(() -> r, "", 0);
        List<SuspectInfo> infos = bean.getSuspects();
        assertEquals("PROVEN by the heap dump of 2026-11-30T18:20:01Z", infos.get(0).getProof());
        assertEquals("NOT PROVEN by the heap dump of 2026-11-30T18:20:01Z", infos.get(1).getProof());
        assertTrue(bean.reportText().contains("can never wake"));
        Report none = r.withProofs(Map.of());
        assertFalse(new ThreadLeakBean(() -> none, "", 0).getSuspects().get(0).getProof().length() > 0);
    }
}
