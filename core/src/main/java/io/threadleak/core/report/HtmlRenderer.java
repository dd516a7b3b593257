package io.threadleak.core.report;

import io.threadleak.core.proof.ProofMark;
import io.threadleak.core.rules.Suspect;
import io.threadleak.core.sample.FutureView;
import io.threadleak.core.sample.TaskView;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.site.CreationSite;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Renders a report as one self-contained HTML page ({@code html=}): summary, suspects with their evidence,
 * a chart per creation site, resolved and suppressed findings. Nothing is loaded from anywhere (inline CSS,
 * script and SVG under a Content-Security-Policy that forbids loading); the report's JSON document is embedded
 * for the page's script. Everything the application wrote (thread names, frames, task descriptions) is escaped.
 * See {@code docs/html-report.md}.
 */
public final class HtmlRenderer {

    /** Forbids every load: the page works from disk and never touches the network. */
    public static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
            + "img-src data:";

    private final JsonRenderer json = new JsonRenderer();
    private final TextRenderer text = new TextRenderer();

    public String render(Report r) {
        StringBuilder b = new StringBuilder(32 * 1024);
        String when = Instant.ofEpochMilli(r.epochMillis()).toString();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CSP).append("\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>threadleak: ").append(r.suspects().size()).append(" suspect")
                .append(r.suspects().size() == 1 ? "" : "s").append(", ").append(Html.text(when)).append("</title>")
                .append("<style>").append(HtmlAssets.CSS).append("</style></head>\n")
                .append("<body data-selfcheck=\"no-script\">\n<header><h1>threadleak</h1><span class=\"meta\">")
                .append(r.last() ? "final report at JVM shutdown, " : "live report, ").append(Html.text(when))
                .append("</span><nav><a href=\"#suspects\">Suspects</a><a href=\"#trends\">Trends</a>")
                .append("<a href=\"#resolved\">Resolved</a><a href=\"#suppressed\">Suppressed</a></nav>")
                .append("<button id=\"theme\" type=\"button\" title=\"Light or dark\">&#9680; Theme</button></header>\n<main>");
        summary(b, r);
        suspects(b, r);
        trends(b, r);
        suspectCards(b, r);
        resolved(b, r);
        suppressed(b, r);
        unclosed(b, r);
        b.append("</main>\n<footer>Written by the threadleak agent. Rewritten every interval; reload to update. "
                + "The same data as JSON is embedded in this page (<code>#threadleak-data</code>).</footer>\n");
        b.append("<script type=\"application/json\" id=\"threadleak-data\">").append(Html.scriptJson(json.render(r)))
                .append("</script>\n<script>").append(HtmlAssets.JS).append("</script>\n</body></html>\n");
        return b.toString();
    }

    private static void summary(StringBuilder b, Report r) {
        Report.Summary s = r.summary();
        b.append("<section id=\"summary\" class=\"cards\">");
        card(b, "Suspects", r.suspects().size(), r.suspects().isEmpty() ? "good" : "bad");
        card(b, "Live threads", s.liveThreads(), "");
        card(b, "Tracked threads", s.trackedThreads(), "");
        card(b, "Creation sites", s.sites(), "");
        card(b, "Live executors", s.liveExecutors(), "");
        card(b, "Live timers", s.liveTimers(), "");
        card(b, "Ended threads", s.endedThreads(), "");
        card(b, "Resolved", r.resolvedAll().size(), "");
        card(b, "Suppressed", r.suppressed().size(), "");
        if (s.hookFailures() > 0) {
            card(b, "Hook failures", s.hookFailures(), "bad");
        }
        b.append("</section>\n");
    }

    private static void card(StringBuilder b, String name, long value, String cls) {
        b.append("<div class=\"card ").append(cls).append("\"><div class=\"v\">").append(value)
                .append("</div><div class=\"k\">").append(name).append("</div></div>");
    }

    private static void heading(StringBuilder b, String id, String title, int n, String filterTarget) {
        b.append("<h2 id=\"").append(id).append("\">").append(title).append(" <span class=\"n\">").append(n)
                .append("</span>");
        if (filterTarget != null && n > 0) {
            b.append("<input class=\"filter\" type=\"search\" placeholder=\"Filter\" aria-label=\"Filter ")
                    .append(title).append("\" data-target=\"").append(filterTarget).append("\">");
        }
        b.append("</h2>\n");
    }

    private void suspects(StringBuilder b, Report r) {
        List<Report.Entry> list = r.suspects();
        heading(b, "suspects", "Suspects", list.size(), "#suspects-table tbody tr");
        if (list.isEmpty()) {
            b.append("<p class=\"empty\">No suspect: every thread, executor and timer looks fine.</p>\n");
            return;
        }
        b.append("<table id=\"suspects-table\" class=\"sortable\"><thead><tr><th>Status</th><th>Rule</th>")
                .append("<th>Kind</th><th data-type=\"num\">Count</th><th>Blame</th><th data-type=\"num\">Age</th>")
                .append("</tr></thead><tbody>");
        for (int i = 0; i < list.size(); i++) {
            Report.Entry e = list.get(i);
            Suspect s = e.suspect();
            long age = r.nanos() - s.sinceNanos();
            b.append("<tr><td><span class=\"badge ").append(e.status()).append("\">").append(e.status())
                    .append("</span></td><td>").append(s.rule()).append(proofBadge(r.proof(s)))
                    .append("</td><td>").append(Html.text(s.kind()))
                    .append("</td><td class=\"num\">").append(s.count()).append("</td><td><a href=\"#suspect-")
                    .append(i).append("\"><code>").append(Html.text(s.blame())).append("</code></a></td>")
                    .append("<td class=\"num\" data-v=\"").append(age).append("\">")
                    .append(Html.text(Durations.format(age))).append("</td></tr>");
        }
        b.append("</tbody></table>\n");
    }

    private void suspectCards(StringBuilder b, Report r) {
        List<Report.Entry> list = r.suspects();
        if (list.isEmpty()) {
            return;
        }
        heading(b, "details", "Suspect details", list.size(), "article.suspect");
        for (int i = 0; i < list.size(); i++) {
            suspectCard(b, i, list.get(i), r.nanos(), r.proof(list.get(i).suspect()));
        }
    }

    /** A badge with the proof's verdict, or nothing. */
    private static String proofBadge(ProofMark p) {
        return p == null ? "" : " <span class=\"badge proof " + p.verdict() + "\">" + p.verdict().name().replace('_', ' ')
                + "</span>";
    }

    private void suspectCard(StringBuilder b, int i, Report.Entry e, long now, ProofMark proof) {
        Suspect s = e.suspect();
        b.append("<article class=\"suspect\" id=\"suspect-").append(i).append("\" data-blame=\"")
                .append(Html.text(s.blame())).append("\"><h3><span class=\"badge ").append(e.status()).append("\">")
                .append(e.status()).append("</span><span class=\"badge rule\">").append(s.rule()).append("</span>")
                .append(proof == null ? "" : proofBadge(proof) + " ")
                .append(s.count()).append(' ').append(Html.text(s.kind())).append(s.count() == 1 ? "" : "s")
                .append(" at <code>").append(Html.text(s.blame())).append("</code></h3>");
        b.append("<div class=\"facts\">for ").append(Html.text(Durations.format(now - s.sinceNanos())));
        if (!s.states().isEmpty()) {
            b.append(" &middot; ").append(Html.text(s.states().entrySet().stream()
                    .map(x -> x.getValue() + " " + x.getKey()).collect(Collectors.joining(", "))));
        }
        if (s.waitsOn() != null) {
            b.append(" &middot; waits on <code>").append(Html.text(s.waitsOn().toString())).append("</code>");
            if (s.owner() != null) {
                b.append(" held by ").append(Html.text(s.owner()));
            }
        }
        b.append("</div>");
        if (proof != null) {
            b.append("<h4>Proof</h4><ul class=\"proof\">");
            for (String l : proof.lines()) {
                b.append("<li>").append(Html.text(l)).append("</li>");
            }
            b.append("</ul>");
        }
        if (!s.evidence().isEmpty()) {
            b.append("<h4>Evidence</h4><ul>");
            for (String ev : s.evidence()) {
                b.append("<li>").append(Html.text(ev)).append("</li>");
            }
            b.append("</ul>");
        }
        CreationSite site = s.site();
        if (site == null) {
            b.append("<h4>Creation stack</h4><p class=\"empty\">Unknown: not seen starting; blamed on the frame it "
                    + "runs.</p>");
        } else {
            b.append("<h4>Creation stack</h4>");
            stack(b, site);
            for (CreationSite p = site.parent(); p != null; p = p.parent()) {
                b.append("<h4>Started by a thread created at</h4>");
                stack(b, p);
            }
        }
        causeChain(b, s);
        if (!s.exemplars().isEmpty()) {
            b.append("<h4>Exemplars</h4>");
            for (ThreadSnapshot x : s.exemplars()) {
                b.append("<details><summary><code>&quot;").append(Html.text(x.name())).append("&quot; #").append(x.id())
                        .append("</code> ").append(x.state()).append(" (").append(x.activity()).append(')');
                if (x.waitsOn() != null) {
                    b.append(" on <code>").append(Html.text(x.waitsOn().toString())).append("</code>");
                }
                b.append("</summary><pre>");
                for (String l : StackView.current(x.stack())) {
                    b.append(Html.text(l.strip())).append('\n');
                }
                b.append("</pre></details>");
            }
        }
        b.append("<details><summary>As in the log</summary><pre>").append(Html.text(text.block(e, now)))
                .append("</pre></details></article>\n");
    }

    private static void stack(StringBuilder b, CreationSite site) {
        b.append("<pre>");
        for (String l : StackView.creation(site)) {
            if (l.startsWith(">>")) {
                b.append("<mark>").append(Html.text(l.substring(3))).append("</mark>  &#8592; blamed\n");
            } else {
                b.append(Html.text(l.strip())).append('\n');
            }
        }
        b.append("</pre>");
    }

    /** The tasks the exemplars run or wait for, each with the task that submitted it. */
    private static void causeChain(StringBuilder b, Suspect s) {
        StringBuilder items = new StringBuilder();
        Set<String> seen = new HashSet<>();
        for (ThreadSnapshot x : s.exemplars()) {
            if (x.task() != null && seen.add("run " + x.task().task())) {
                items.append("<li>runs task ");
                task(items, x.task());
                items.append("</li>");
            }
            FutureView f = x.waitsFor();
            if (f != null && seen.add("wait " + f.future())) {
                items.append("<li>waits for <code>").append(Html.text(f.future().toString())).append("</code>, ")
                        .append(f.done() == null ? "state unknown" : f.done() ? "done" : "not done")
                        .append(", produced by ").append(Html.text(f.producer().name()));
                if (f.via() != null) {
                    items.append(" via ").append(Html.text(f.via()));
                }
                if (f.site() != null) {
                    items.append(", created at <code>").append(Html.text(f.site().blame())).append("</code>");
                }
                if (f.task() != null) {
                    items.append("; its task ");
                    task(items, f.task());
                }
                items.append("</li>");
            }
        }
        if (!items.isEmpty()) {
            b.append("<h4>Cause chain</h4><ul>").append(items).append("</ul>");
        }
    }

    private static void task(StringBuilder b, TaskView t) {
        b.append("<code>").append(Html.text(t.describe())).append("</code> (").append(t.state());
        if (t.executor() != null) {
            b.append(", on ").append(Html.text(t.executor()));
        }
        if (t.submitter() != null) {
            b.append(", submitted by ").append(Html.text(t.submitter()));
        }
        if (t.submitSite() != null) {
            b.append(" at <code>").append(Html.text(t.submitSite().blame())).append("</code>");
        }
        b.append(')');
        if (t.parent() != null) {
            b.append("<ul><li>submitted from task ");
            task(b, t.parent());
            b.append("</li></ul>");
        }
    }

    private static void trends(StringBuilder b, Report r) {
        Trends.View t = r.trends();
        heading(b, "trends", "Trends per creation site", t.sites().size(), "figure.trend");
        if (t.sites().isEmpty()) {
            b.append("<p class=\"empty\">No creation site with live threads, executors or timers yet.</p>\n");
            return;
        }
        Set<String> suspected = new HashSet<>();
        for (Report.Entry e : r.suspects()) {
            if (e.suspect().site() != null) {
                suspected.add(e.suspect().site().id());
            }
        }
        b.append("<div class=\"trends\">");
        for (Trends.SiteTrend s : t.sites()) {
            b.append("<figure class=\"trend").append(suspected.contains(s.site()) ? " suspected" : "")
                    .append("\" data-site=\"").append(Html.text(s.site())).append("\"><figcaption><code>")
                    .append(Html.text(s.blame())).append("</code><br><span class=\"sub\">")
                    .append(s.jdk() ? "inside the JDK; " : "").append(suspected.contains(s.site()) ? "has suspects; " : "")
                    .append(Trends.OTHER.equals(s.site()) ? t.foldedSites() + " sites folded; " : "")
                    .append("peak ").append(s.peak()).append("</span></figcaption>")
                    .append(SvgChart.draw(t.times(), s)).append("<div class=\"legend\">");
            int[][] series = {s.threads(), s.executors(), s.timers(), s.queued()};
            for (int k = 0; k < series.length; k++) {
                if (SvgChart.any(series[k])) {
                    int[] v = series[k];
                    b.append("<span class=\"").append(SvgChart.SERIES[k]).append("\">").append(SvgChart.SERIES[k])
                            .append(' ').append(v[v.length - 1]).append("</span>");
                }
            }
            b.append("</div></figure>");
        }
        b.append("</div>\n");
        if (t.samplesPerPoint() > 1) {
            b.append("<p class=\"empty\">Each point is the largest count of ").append(t.samplesPerPoint())
                    .append(" samples.</p>\n");
        }
    }

    private static void resolved(StringBuilder b, Report r) {
        List<Report.Entry> list = r.resolvedAll();
        heading(b, "resolved", "Resolved", list.size(), "#resolved-table tbody tr");
        if (list.isEmpty()) {
            b.append("<p class=\"empty\">Nothing resolved.</p>\n");
            return;
        }
        b.append("<table id=\"resolved-table\" class=\"sortable\"><thead><tr><th>Rule</th><th>Kind</th>")
                .append("<th data-type=\"num\">Was</th><th>Blame</th><th>Resolved at</th></tr></thead><tbody>");
        for (Report.Entry e : list) {
            Suspect s = e.suspect();
            b.append("<tr><td>").append(s.rule()).append("</td><td>").append(Html.text(s.kind()))
                    .append("</td><td class=\"num\">").append(e.reportedCount()).append("</td><td><code>")
                    .append(Html.text(s.blame())).append("</code></td><td>")
                    .append(Instant.ofEpochMilli(e.resolvedAtMillis())).append("</td></tr>");
        }
        b.append("</tbody></table>\n");
    }

    private static void suppressed(StringBuilder b, Report r) {
        List<Report.Suppressed> list = r.suppressed();
        heading(b, "suppressed", "Suppressed", list.size(), "#suppressed-table tbody tr");
        if (list.isEmpty()) {
            b.append("<p class=\"empty\">No finding suppressed.</p>\n");
        } else {
            b.append("<table id=\"suppressed-table\" class=\"sortable\"><thead><tr><th>Rule</th>")
                    .append("<th data-type=\"num\">Count</th><th>Blame</th><th>Suppressed by</th><th>Reason</th>")
                    .append("</tr></thead><tbody>");
            for (Report.Suppressed x : list) {
                Suspect s = x.suspect();
                b.append("<tr><td>").append(s.rule()).append("</td><td class=\"num\">").append(s.count())
                        .append("</td><td><code>").append(Html.text(s.blame())).append("</code></td><td><code>")
                        .append(Html.text(x.rule())).append("</code><br><span class=\"sub\">")
                        .append(Html.text(x.source())).append("</span></td><td>").append(Html.text(x.reason()))
                        .append("</td></tr>");
            }
            b.append("</tbody></table>\n");
        }
        if (!r.unusedSuppressions().isEmpty()) {
            b.append("<h4>Suppression rules that never matched</h4><ul>");
            for (String rule : r.unusedSuppressions()) {
                b.append("<li><code>").append(Html.text(rule)).append("</code></li>");
            }
            b.append("</ul>\n");
        }
    }

    private static void unclosed(StringBuilder b, Report r) {
        List<Report.Unclosed> list = r.summary().unclosed();
        if (list.isEmpty()) {
            return;
        }
        heading(b, "unclosed", "Never shut down", list.size(), null);
        b.append("<table id=\"unclosed-table\" class=\"sortable\"><thead><tr><th>Kind</th>")
                .append("<th data-type=\"num\">Count</th><th>Created at</th></tr></thead><tbody>");
        for (Report.Unclosed u : list) {
            b.append("<tr><td>").append(Html.text(u.kind())).append("</td><td class=\"num\">").append(u.count())
                    .append("</td><td><code>").append(Html.text(u.site().blame())).append("</code></td></tr>");
        }
        b.append("</tbody></table>\n");
    }
}
