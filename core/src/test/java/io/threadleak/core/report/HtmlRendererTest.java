package io.threadleak.core.report;

import static io.threadleak.core.report.ReportSamples.entry;
import static io.threadleak.core.report.ReportSamples.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.rules.RuleName;
import io.threadleak.core.rules.Suspect;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.testutil.Fixtures;
import io.threadleak.core.testutil.Json;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlRendererTest {

    private final ReportSamples x = new ReportSamples();
    private final HtmlRenderer html = new HtmlRenderer();
    private final Report.Summary summary = new Report.Summary(10, 3, 2, 1, 0);

    private Trends.View trends() {
        Trends t = new Trends();
        for (int i = 0; i < 5; i++) {
            t.add(new io.threadleak.core.sample.Sample(i, 1_700_000_000_000L + i * 1000L, List.of(),
                    Map.of(x.site, i + 1), Map.of(), List.of(), 0, -1, Map.of(), Map.of(x.site, 2 * i), List.of()));
        }
        return t.view();
    }

    private Report sample() {
        return report(false, summary, List.of(entry(x.stuck(2), Status.NEW, 0), entry(x.cancelIgnored(), Status.GROWN, 0)),
                List.of(), List.of(entry(x.growingChild(7), Status.RESOLVED, 7))).withTrends(trends());
    }

    @Test
    void pageLoadsNothingFromAnywhere() {
        String page = html.render(sample());
        assertTrue(page.startsWith("<!DOCTYPE html>"));
        assertTrue(page.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                + "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"));
        assertFalse(Pattern.compile("(?i)\\b(src|href)\\s*=\\s*\"(?!#)").matcher(page).find(),
                "only in-page links and no external source");
        assertFalse(page.contains("http://") || page.contains("https://") || page.contains("//cdn"),
                "no URL at all: " + firstUrl(page));
    }

    private static String firstUrl(String page) {
        Matcher m = Pattern.compile("https?://\\S{0,40}").matcher(page);
        return m.find() ? m.group() : "";
    }

    @Test
    void showsSuspectsWithBlameStackExemplarsAndCauseChain() {
        String page = html.render(sample());
        assertTrue(page.contains("<table id=\"suspects-table\""));
        assertTrue(page.contains("id=\"suspect-0\" data-blame=\"com.acme.Orders.startWaiter(Orders.java:21)\""));
        assertTrue(page.contains("<mark>at com.acme.Orders.startWaiter(Orders.java:21)</mark>"),
                "blamed frame marked in the creation stack");
        assertTrue(page.contains("&quot;order-waiter-1&quot; #31"), "exemplar");
        assertTrue(page.contains("Cause chain"));
        assertTrue(page.contains("submitted from task"), "the task's parent");
        assertTrue(page.contains("id=\"resolved-table\""));
        assertTrue(page.contains("1 task runs on although the task that submitted it was cancelled"));
    }

    @Test
    void drawsOneChartPerSiteWithoutScript() {
        String page = html.render(sample());
        assertEquals(1, count(page, "<svg class=\"chart\""));
        assertTrue(page.contains("<path class=\"line threads\" d=\"M"));
        assertTrue(page.contains("<path class=\"line queued\" d=\"M"));
        assertFalse(page.contains("<path class=\"line timers\""), "a series that stays 0 is not drawn");
    }

    @Test
    void untrustedTextIsEscapedEverywhere() {
        String evil = "</script><script>alert(1)</script><img src=x onerror=alert(2)>\u2028'\"&";
        ThreadSnapshot t = Fixtures.snap(77).name(evil).site(x.site).stack(Fixtures.latchWait("Evil", "run", 1)).build();
        Suspect s = new Suspect("STUCK evil", RuleName.STUCK, "thread", x.site, evil, 1, Map.of("WAITING", 1), null,
                evil, 0, List.of(t), List.of(evil));
        Report r = report(true, summary, List.of(entry(s, Status.NEW, 0)), List.of(), List.of())
                .withSuppressed(List.of(new Report.Suppressed(s, "suppress.txt:1", evil, evil)), List.of(evil));
        String page = html.render(r);
        assertFalse(page.contains("<script>alert"), "no injected element");
        assertFalse(page.contains("<img"), "no injected element");
        assertEquals(2, count(page, "<script"), "only the page's JSON island and its script");
        assertEquals(2, count(page, "</script>"));
        assertTrue(page.contains("&lt;/script&gt;&lt;script&gt;alert(1)"), "shown as text");
        // the JSON island still parses to the same document once the script element's text is taken
        String island = page.substring(page.indexOf("id=\"threadleak-data\">") + 21, page.indexOf("</script>"));
        assertFalse(island.contains("\u2028"), "U+2028 never raw in script");
        assertFalse(island.contains("<"), "no tag can start inside the JSON island");
        Map<String, Object> doc = Json.obj(Json.parse(island));
        Map<String, Object> suspect = Json.obj(Json.arr(doc.get("suspects")).get(0));
        assertEquals(evil, suspect.get("blame"));
    }

    @Test
    void emptyReportSaysSo() {
        String page = html.render(report(false, summary, List.of(), List.of(), List.of()));
        assertTrue(page.contains("No suspect"));
        assertTrue(page.contains("No creation site"));
        assertFalse(page.contains("<svg"));
    }

    @Test
    void axisTopsHaveAWholeHalf() {
        assertEquals(1, SvgChart.niceMax(0));
        assertEquals(4, SvgChart.niceMax(3));
        assertEquals(10, SvgChart.niceMax(5));
        assertEquals(400, SvgChart.niceMax(201));
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
