package io.threadleak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTML report ({@code html=}) of every demo scenario, run in one JVM with the real agent, opened in headless
 * Chromium: the page's script ran without error and checked itself, every chart is drawn, every suspect, resolved
 * and suppressed finding of the JSON report (written from the same final report) is on the page with its rule,
 * kind, count and blame, and the page loads nothing from anywhere.
 */
class HtmlReportBrowserTest {

    private static Path browser;
    private static ForkedJvm.Result run;
    private static JsonNode json;
    private static String file;
    private static Chromium.Page page;
    private static Throwable failed;

    /** Each test needs the browser (skipped without one, each shown as skipped); the demo runs once. */
    @BeforeEach
    void renderTheDemoOnce() throws IOException {
        browser = Chromium.require();
        if (failed != null) {
            throw new AssertionError("the demo run with html= failed before (see the first test)", failed);
        }
        if (page != null) {
            return;
        }
        try {
            render();
        } catch (AssertionError | IOException | RuntimeException e) {
            failed = e;
            throw e;
        }
    }

    private static void render() throws IOException {
        run = ForkedJvm.on(Jdk.current()).named("html-report")
                .agent(ForkedJvm.FAST_OPTIONS + ",html=report.html")
                .jar(ForkedJvm.demoJar()).args("all", "--seconds", "3")
                .timeout(Duration.ofSeconds(240))
                .run();
        assertEquals(0, run.exitCode(), () -> "exit code\n" + run);
        json = run.json();
        assertTrue(json.path("final").asBoolean(), () -> "not the final report\n" + run);
        Path html = run.dir().resolve("report.html");
        assertTrue(Files.isRegularFile(html), () -> "no HTML report at " + html + "\n" + run);
        file = Files.readString(html, StandardCharsets.UTF_8);
        page = Chromium.dumpDom(browser, html, run.dir());
    }

    @Test
    void scriptRanAndFoundThePageConsistentWithItsData() {
        Matcher m = Pattern.compile("<body[^>]*\\bdata-selfcheck=\"([^\"]*)\"").matcher(page.dom());
        assertTrue(m.find(), () -> "no self-check marker on <body>\n" + head(page.dom()));
        assertEquals("ok", unescape(m.group(1)), () -> "the page's self-check\n" + page.log());
        assertFalse(page.log().contains("Uncaught"), () -> "a script error in the browser's log\n" + page.log());
    }

    @Test
    void loadsNothing() {
        assertTrue(file.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                + "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"), "the CSP");
        Matcher url = Pattern.compile("(?i)(https?:|ftp:|wss?:)//").matcher(file);
        assertFalse(url.find(), () -> "a URL in the file: " + file.substring(url.start(), Math.min(file.length(),
                url.start() + 80)));
        Matcher load = Pattern.compile("(?i)\\b(src|href|action|srcset)\\s*=\\s*\"(?!#)").matcher(file);
        assertFalse(load.find(), () -> "an attribute that loads or leaves the page: "
                + file.substring(load.start(), Math.min(file.length(), load.start() + 80)));
        assertFalse(page.log().contains("Content Security Policy"), () -> "the browser blocked a load\n" + page.log());
    }

    @Test
    void everyChartIsDrawn() {
        JsonNode sites = json.path("trends").path("sites");
        assertTrue(sites.size() > 0, () -> "no trend in the JSON report: " + json.path("trends"));
        List<String> shown = attributes(section(page.dom(), "<div class=\"trends\">", "</div></figure></div>"),
                "figure", "data-site");
        List<String> expected = new ArrayList<>();
        sites.forEach(s -> expected.add(s.path("site").asText()));
        assertEquals(expected, shown, "one chart per site of the JSON report, in its order");
        int charts = count(page.dom(), "<svg class=\"chart\"");
        assertEquals(sites.size(), charts);
        Matcher path = Pattern.compile("<path class=\"line (threads|executors|timers|queued)\" d=\"M[0-9.]+,[0-9.]+"
                + "(L[0-9.]+,[0-9.]+)+").matcher(page.dom());
        int lines = 0;
        while (path.find()) {
            lines++;
        }
        assertTrue(lines >= sites.size(), "at least one drawn line per chart: " + lines);
    }

    @Test
    void everySuspectOfTheJsonIsOnThePage() {
        assertTrue(json.path("suspects").size() >= 5, () -> "too few suspects for the demo: "
                + Reports.summary(json) + "\n" + run);
        assertEquals(rows(json.path("suspects"), true), tableRows("suspects-table", 1, 2, 3, 4),
                "suspects table: rule, kind, count, blame");
        List<String> cards = attributes(page.dom(), "article", "data-blame");
        List<String> blames = new ArrayList<>();
        json.path("suspects").forEach(s -> blames.add(s.path("blame").asText()));
        assertEquals(blames, cards, "one details card per suspect, with its blame");
        assertEquals(rows(json.path("resolved"), false), tableRows("resolved-table", 0, 1, 2, 3),
                "resolved table: rule, kind, count when reported, blame");
        assertEquals(json.path("suppressed").size(), tableRows("suppressed-table", 0).size(), "suppressed rows");
        Matcher card = Pattern.compile("<div class=\"v\">(\\d+)</div><div class=\"k\">Suspects</div>")
                .matcher(page.dom());
        assertTrue(card.find(), "the suspects card");
        assertEquals(json.path("summary").path("suspects").asInt(), Integer.parseInt(card.group(1)));
    }

    @Test
    void demoScenariosAreNamedWithTheirBlame() {
        String table = section(page.dom(), "<table id=\"suspects-table\"", "</table>")
                + section(page.dom(), "<table id=\"resolved-table\"", "</table>");
        for (String[] s : new String[][] {
            {"STUCK", "io.threadleak.demo.BlockedPut.exportBatch("},
            {"GROWING", "io.threadleak.demo.ExecutorPerRequest.handleRequest("},
            {"DEADLOCK", "io.threadleak.demo.LockOrderDeadlock.startTransfers("},
        }) {
            assertTrue(Pattern.compile("<td>" + s[0] + "</td>.*?<code>" + Pattern.quote(s[1])).matcher(table).find(),
                    () -> s[0] + " at " + s[1] + " not on the page\n" + Reports.summary(json));
        }
    }

    /** {@code RULE|kind|count|blame} per suspect of a JSON array, sorted. */
    private static List<String> rows(JsonNode suspects, boolean current) {
        List<String> out = new ArrayList<>();
        suspects.forEach(s -> out.add(s.path("rule").asText() + "|" + s.path("kind").asText() + "|"
                + (current ? s.path("count").asInt() : s.path("reportedCount").asInt()) + "|" + s.path("blame").asText()));
        out.sort(null);
        return out;
    }

    /** The text of the given cells of each body row of a table, joined by {@code |}, sorted. */
    private static List<String> tableRows(String id, int... cells) {
        String table = section(page.dom(), "<table id=\"" + id + "\"", "</table>");
        List<String> out = new ArrayList<>();
        if (table.isEmpty()) {
            return out;
        }
        String body = section(table, "<tbody>", "</tbody>");
        Matcher row = Pattern.compile("<tr>(.*?)</tr>", Pattern.DOTALL).matcher(body);
        while (row.find()) {
            List<String> texts = new ArrayList<>();
            Matcher cell = Pattern.compile("<td[^>]*>(.*?)</td>", Pattern.DOTALL).matcher(row.group(1));
            while (cell.find()) {
                texts.add(unescape(cell.group(1).replaceAll("<[^>]+>", "")).strip());
            }
            List<String> picked = new ArrayList<>();
            for (int c : cells) {
                picked.add(texts.get(c));
            }
            out.add(String.join("|", picked));
        }
        out.sort(null);
        return out;
    }

    private static List<String> attributes(String html, String element, String attribute) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<" + element + "\\b[^>]*\\b" + attribute + "=\"([^\"]*)\"").matcher(html);
        while (m.find()) {
            out.add(unescape(m.group(1)));
        }
        return out;
    }

    private static String section(String html, String from, String to) {
        int start = html.indexOf(from);
        if (start < 0) {
            return "";
        }
        int end = html.indexOf(to, start);
        return end < 0 ? html.substring(start) : html.substring(start, end + to.length());
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&nbsp;", "\u00a0").replace("&amp;", "&");
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static String head(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
    }
}
