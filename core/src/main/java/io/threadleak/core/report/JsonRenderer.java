package io.threadleak.core.report;

import io.threadleak.core.proof.ProofMark;
import io.threadleak.core.registry.ExecutorRecord;
import io.threadleak.core.rules.Suspect;
import io.threadleak.core.sample.FutureView;
import io.threadleak.core.sample.TaskView;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.site.CreationSite;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Renders a report as JSON. The field names are stable and documented in {@code docs/json-report.md};
 * add fields, never rename them.
 */
public final class JsonRenderer {

    /** Version of the document's shape. */
    public static final int VERSION = 1;

    public String render(Report r) {
        JsonWriter w = new JsonWriter().beginObject();
        w.field("version", VERSION);
        w.field("time", Instant.ofEpochMilli(r.epochMillis()).toString());
        w.field("final", r.last());
        Report.Summary s = r.summary();
        w.name("summary").beginObject()
                .field("liveThreads", s.liveThreads())
                .field("trackedThreads", s.trackedThreads())
                .field("sites", s.sites())
                .field("endedThreads", s.endedThreads())
                .field("hookFailures", s.hookFailures())
                .field("liveExecutors", s.liveExecutors())
                .field("liveTimers", s.liveTimers())
                .field("suspects", r.suspects().size())
                .field("suppressed", r.suppressed().size());
        w.name("unclosed").beginArray();
        for (Report.Unclosed u : s.unclosed()) {
            w.beginObject().field("kind", u.kind()).field("count", u.count()).field("site", u.site().id())
                    .field("blame", u.site().blame()).endObject();
        }
        w.endArray().endObject();
        w.name("suspects").beginArray();
        for (Report.Entry e : r.suspects()) {
            suspect(w, e, r.nanos(), null, r.proof(e.suspect()));
        }
        w.endArray();
        w.name("resolved").beginArray();
        for (Report.Entry e : r.resolvedAll()) {
            suspect(w, e, r.nanos());
        }
        w.endArray();
        w.name("suppressed").beginArray();
        for (Report.Suppressed x : r.suppressed()) {
            suspect(w, new Report.Entry(x.suspect(), Status.ONGOING, x.suspect().count(), 0), r.nanos(), x, null);
        }
        w.endArray();
        w.name("unusedSuppressions").beginArray();
        for (String rule : r.unusedSuppressions()) {
            w.value(rule);
        }
        w.endArray();
        trends(w, r.trends());
        return w.endObject().toString();
    }

    private static void trends(JsonWriter w, Trends.View t) {
        w.name("trends").beginObject().field("samplesPerPoint", t.samplesPerPoint());
        w.name("times").beginArray();
        for (long time : t.times()) {
            w.value(time);
        }
        w.endArray();
        w.field("foldedSites", t.foldedSites());
        w.name("sites").beginArray();
        for (Trends.SiteTrend s : t.sites()) {
            w.beginObject().field("site", s.site()).field("blame", s.blame()).field("jdk", s.jdk());
            ints(w, "threads", s.threads());
            ints(w, "executors", s.executors());
            ints(w, "timers", s.timers());
            ints(w, "queued", s.queued());
            w.endObject();
        }
        w.endArray().endObject();
    }

    private static void ints(JsonWriter w, String name, int[] values) {
        w.name(name).beginArray();
        for (int v : values) {
            w.value(v);
        }
        w.endArray();
    }

    private static void suspect(JsonWriter w, Report.Entry e, long now) {
        suspect(w, e, now, null, null);
    }

    private static void suspect(JsonWriter w, Report.Entry e, long now, Report.Suppressed by, ProofMark proof) {
        Suspect s = e.suspect();
        w.beginObject();
        if (by != null) {
            w.name("suppressedBy").beginObject().field("source", by.source()).field("rule", by.rule())
                    .field("reason", by.reason()).endObject();
        }
        w.field("id", s.key());
        w.field("rule", s.rule().name());
        w.field("kind", s.kind());
        w.field("status", by != null ? "SUPPRESSED" : e.status().name());
        w.field("count", s.count());
        w.field("reportedCount", e.reportedCount());
        w.field("blame", s.blame());
        if (e.status() == Status.RESOLVED) {
            w.field("resolvedAt", Instant.ofEpochMilli(e.resolvedAtMillis()).toString());
        } else {
            w.field("ageMillis", (now - s.sinceNanos()) / 1_000_000);
        }
        w.name("states").beginObject();
        for (Map.Entry<String, Integer> st : s.states().entrySet()) {
            w.field(st.getKey(), st.getValue());
        }
        w.endObject();
        w.field("waitsOn", s.waitsOn() == null ? null : s.waitsOn().toString());
        w.field("owner", s.owner());
        CreationSite site = s.site();
        w.field("site", site == null ? null : site.id());
        strings(w, "creationStack", site == null ? List.of() : StackView.all(site.frames()));
        w.field("blameIndex", site == null ? -1 : site.blameIndex());
        w.name("createdBy").beginArray();
        for (CreationSite p = site == null ? null : site.parent(); p != null; p = p.parent()) {
            w.beginObject().field("site", p.id()).field("blame", p.blame());
            strings(w, "creationStack", StackView.all(p.frames()));
            w.field("blameIndex", p.blameIndex()).endObject();
        }
        w.endArray();
        strings(w, "evidence", s.evidence());
        proof(w, proof);
        w.name("exemplars").beginArray();
        for (ThreadSnapshot x : s.exemplars()) {
            exemplar(w, x);
        }
        w.endArray();
        w.endObject();
    }

    /** {@code "proof"}: null, or the verdict and each checked thread with the dump that decided it. */
    private static void proof(JsonWriter w, ProofMark p) {
        if (p == null) {
            w.field("proof", (String) null);
            return;
        }
        w.name("proof").beginObject().field("verdict", p.verdict().name())
                .field("dumpedAt", Instant.ofEpochMilli(p.dumpedAtMillis()).toString());
        w.name("threads").beginArray();
        for (ProofMark.ThreadMark t : p.threads()) {
            w.beginObject().field("id", t.id()).field("name", t.name()).field("proven", t.proven())
                    .field(t.proven() ? "reason" : "path", t.why()).field("by", t.source())
                    .field("dumpedAt", Instant.ofEpochMilli(t.dumpedAtMillis()).toString())
                    .field("pauseMillis", t.pauseMillis()).endObject();
        }
        w.endArray().endObject();
    }

    private static void exemplar(JsonWriter w, ThreadSnapshot x) {
        w.beginObject()
                .field("id", x.id())
                .field("name", x.name())
                .field("state", x.state().name())
                .field("activity", x.activity().name())
                .field("daemon", x.daemon())
                .field("virtual", x.virtual())
                .field("waitsOn", x.waitsOn() == null ? null : x.waitsOn().toString())
                .field("owner", x.ownerName() == null ? null : "\"" + x.ownerName() + "\" #" + x.ownerId());
        if (x.record() != null) {
            w.field("startedBy", x.record().creatorName())
                    .field("startedById", x.record().creatorId())
                    .field("startedAt", Instant.ofEpochMilli(x.record().createdAtMillis()).toString())
                    .field("origin", x.record().origin().name());
            ExecutorRecord e = x.record().executor();
            if (e != null) {
                w.name("executor").beginObject()
                        .field("id", e.id())
                        .field("kind", e.kind())
                        .field("site", e.site() == null ? null : e.site().id())
                        .field("blame", e.site() == null ? null : e.site().blame())
                        .field("origin", e.origin().name())
                        .field("state", e.state())
                        .field("poolSize", e.poolSize())
                        .field("queued", e.queued())
                        .endObject();
            }
        } else {
            w.field("origin", "UNKNOWN");
        }
        if (x.task() != null) {
            w.name("task");
            task(w, x.task());
        }
        FutureView f = x.waitsFor();
        if (f != null) {
            w.name("waitsFor").beginObject().field("future", f.future().toString());
            if (f.done() == null) {
                w.field("done", (String) null);
            } else {
                w.field("done", f.done().booleanValue());
            }
            w.field("producer", f.producer().name())
                    .field("via", f.via())
                    .field("site", f.site() == null ? null : f.site().id())
                    .field("blame", f.site() == null ? null : f.site().blame());
            if (f.task() != null) {
                w.name("task");
                task(w, f.task());
            }
            w.endObject();
        }
        strings(w, "stack", StackView.all(x.stack()));
        w.endObject();
    }

    /** A task and, nested, the task that submitted it: the cause chain. */
    private static void task(JsonWriter w, TaskView t) {
        w.beginObject()
                .field("task", t.task().toString())
                .field("body", t.body())
                .field("state", t.state().name())
                .field("periodic", t.periodic())
                .field("executor", t.executor())
                .field("submittedBy", t.submitter())
                .field("submitSite", t.submitSite() == null ? null : t.submitSite().id())
                .field("submitBlame", t.submitSite() == null ? null : t.submitSite().blame());
        if (t.parent() != null) {
            w.name("parent");
            task(w, t.parent());
        }
        w.endObject();
    }

    private static void strings(JsonWriter w, String name, List<String> values) {
        w.name(name).beginArray();
        for (String v : values) {
            w.value(v);
        }
        w.endArray();
    }
}
