package io.threadleak.core.rules;

import io.threadleak.core.sample.Sample;
import io.threadleak.core.sample.TaskView;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.FramePolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code CANCEL_IGNORED}: a task still runs at least {@code cancelAfter} after it was seen cancelled, or after the
 * task that submitted it (or an ancestor of that) was seen cancelled: the cancellation did not reach it, or it
 * does not honour interruption. Blames the code the task is running (its innermost application frame), where
 * the cancellation must be checked, or with {@code stacks=all} where it was submitted.
 */
public final class CancelIgnoredRule implements Rule {

    private final long cancelAfterNanos;
    private final int exemplars;
    private final FramePolicy policy;
    /** When each (thread, task) was first seen running while cancelled. */
    private final Map<String, Long> since = new HashMap<>();

    public CancelIgnoredRule(long cancelAfterNanos, int exemplars, FramePolicy policy) {
        this.cancelAfterNanos = cancelAfterNanos;
        this.exemplars = exemplars;
        this.policy = policy;
    }

    @Override
    public List<Suspect> evaluate(Sample sample) {
        Map<String, Long> seen = new HashMap<>();
        Map<String, List<ThreadSnapshot>> groups = new LinkedHashMap<>();
        for (ThreadSnapshot s : sample.threads()) {
            TaskView task = s.task();
            if (s.exempt() || task == null || (!task.cancelled() && task.cancelledAncestor() == null)) {
                continue;
            }
            String key = s.id() + " " + task.task();
            long first = since.getOrDefault(key, sample.nanos());
            seen.put(key, first);
            if (sample.nanos() - first >= cancelAfterNanos) {
                groups.computeIfAbsent(blame(s), k -> new ArrayList<>()).add(s);
            }
        }
        since.clear();
        since.putAll(seen);
        List<Suspect> out = new ArrayList<>();
        for (Map.Entry<String, List<ThreadSnapshot>> e : groups.entrySet()) {
            out.add(suspect(e.getKey(), e.getValue()));
        }
        return out;
    }

    private String blame(ThreadSnapshot s) {
        CreationSite site = s.task().submitSite();
        if (site != null) {
            return site.blame();
        }
        StackTraceElement[] stack = s.stack();
        int i = policy.blameIndex(stack);
        if (i < 0) {
            i = policy.fallbackIndex(stack);
        }
        return i < 0 ? Blames.blame(s, policy) : CreationSite.format(stack[i]);
    }

    private Suspect suspect(String blame, List<ThreadSnapshot> threads) {
        threads.sort(Comparator.comparingLong(ThreadSnapshot::id));
        ThreadSnapshot first = threads.get(0);
        TaskView task = first.task();
        TaskView cancelled = task.cancelled() ? task : task.cancelledAncestor();
        List<String> evidence = new ArrayList<>();
        boolean one = threads.size() == 1;
        evidence.add(threads.size() + (one ? " task runs on" : " tasks run on")
                + (cancelled == task ? (one ? " although its future was cancelled" : " although their futures were cancelled")
                : " although the task that submitted " + (one ? "it" : "them") + " was cancelled: "
                        + cancelled.describe()));
        evidence.addAll(Blames.chain(first));
        return new Suspect("CANCEL_IGNORED " + blame, RuleName.CANCEL_IGNORED, "task", task.submitSite(), blame,
                threads.size(), Blames.states(threads), first.waitsOn(), null,
                since.getOrDefault(first.id() + " " + task.task(), 0L),
                threads.subList(0, Math.min(exemplars, threads.size())), evidence);
    }
}
