package io.threadleak.core.rules;

import io.threadleak.core.registry.ExecutorRecord;
import io.threadleak.core.registry.ThreadRecord;
import io.threadleak.core.sample.Activity;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.FramePolicy;
import io.threadleak.core.sample.FutureView;
import io.threadleak.core.sample.TaskView;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a thread's suspect blames, and how threads are grouped: by creation site, never by name. */
final class Blames {

    private Blames() {
    }

    /**
     * The site a thread's suspect blames: for a worker of an executor the application created, the executor's
     * creation site (a worker's own start site is whichever task happened to start it); otherwise the
     * thread's creation site, or {@code null} when it was not seen starting.
     */
    static CreationSite site(ThreadSnapshot s) {
        ThreadRecord r = s.record();
        if (r == null) {
            return null;
        }
        ExecutorRecord e = r.executor();
        if (e != null && e.site() != null && e.origin() == ExecutorRecord.Origin.CREATED) {
            return e.site();
        }
        return r.site();
    }

    /** The group of a thread: its blamed site, or for a thread not seen starting the frame its stack blames. */
    static String groupKey(ThreadSnapshot s, FramePolicy policy) {
        CreationSite site = site(s);
        return site != null ? site.id() : "at " + blame(s, policy);
    }

    /** The blamed site's frame; for a thread not seen starting, the first blameable frame it runs. */
    static String blame(ThreadSnapshot s, FramePolicy policy) {
        CreationSite site = site(s);
        if (site != null) {
            return site.blame();
        }
        StackTraceElement[] stack = s.stack();
        int i = policy.blameIndex(stack);
        if (i < 0) {
            i = policy.fallbackIndex(stack);
        }
        return i < 0 ? "<unknown: thread \"" + s.name() + "\" was not seen starting>" : CreationSite.format(stack[i]);
    }

    /** For pool workers, which executor they work for: a line of evidence, or {@code null}. */
    static String workerOf(ThreadSnapshot s) {
        ExecutorRecord e = s.record() == null ? null : s.record().executor();
        return e == null ? null : "pool workers of " + e;
    }

    /**
     * What a thread is doing in the cause chain, one line each: the task it runs (and who submitted it, from
     * which task) and the future it blocks on (and what, if anything, can complete it).
     */
    static List<String> chain(ThreadSnapshot s) {
        List<String> out = new ArrayList<>();
        TaskView task = s.task();
        if (task != null) {
            ExecutorRecord pool = s.record() == null ? null : s.record().executor();
            String on = task.executor() == null && pool != null ? ", on " + pool : "";
            out.add(Blames.describe(s.name(), s.id()) + " runs task " + task.describe() + on + origin(task));
            for (TaskView p = task.parent(); p != null; p = p.parent()) {
                out.add("  submitted from task " + p.describe() + ", " + p.state().label() + origin(p));
            }
        }
        FutureView f = s.waitsFor();
        if (f != null) {
            out.add(Blames.describe(s.name(), s.id()) + " waits for " + f.describe());
        }
        return out;
    }

    private static String origin(TaskView t) {
        StringBuilder sb = new StringBuilder();
        if (t.executor() != null) {
            sb.append(", on ").append(t.executor());
        }
        if (t.submitter() != null) {
            sb.append(", submitted by ").append(t.submitter());
        }
        if (t.submitSite() != null) {
            sb.append(" at ").append(t.submitSite().blame());
        }
        return sb.toString();
    }

    /** Counts of activities, by name, in a stable order. */
    static Map<String, Integer> states(Collection<ThreadSnapshot> threads) {
        int[] counts = new int[Activity.values().length];
        for (ThreadSnapshot s : threads) {
            counts[s.activity().ordinal()]++;
        }
        Map<String, Integer> states = new TreeMap<>();
        for (Activity a : Activity.values()) {
            if (counts[a.ordinal()] > 0) {
                states.put(a.name(), counts[a.ordinal()]);
            }
        }
        return states;
    }

    /** {@code "name" #id}. */
    static String describe(String name, long id) {
        return "\"" + name + "\" #" + id;
    }
}
