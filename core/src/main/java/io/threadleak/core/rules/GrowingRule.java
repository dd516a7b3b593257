package io.threadleak.core.rules;

import io.threadleak.core.registry.ExecutorRecord;
import io.threadleak.core.sample.ExecutorSnapshot;
import io.threadleak.core.sample.Sample;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.site.CreationSite;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code GROWING}: the live count of one creation site rose in {@code samples} rising samples in a row
 * (a sample with the same count neither breaks nor extends the run) and is above {@code floor}.
 * It stays a suspect until the count is back at the floor or has fallen in {@code samples} samples in a row.
 * One instance counts threads (pool workers and timer threads excluded: they count with their executor or timer),
 * others executors that were neither shut down nor collected (a pool created per request is a leak even when its
 * workers idle), timers that were not cancelled, and tasks queued in the executors of one site.
 */
public final class GrowingRule implements Rule {

    private final String kind;
    private final Function<Sample, Map<CreationSite, Integer>> counts;
    private final int samples;
    private final int floor;
    private final int exemplars;
    private final Map<CreationSite, History> histories = new HashMap<>();

    /** Growth of threads per creation site. */
    public GrowingRule(int samples, int floor, int exemplars) {
        this("thread", Sample::liveBySite, samples, floor, exemplars);
    }

    /** Growth of executors per creation site. */
    public static GrowingRule executors(int samples, int floor, int exemplars) {
        return new GrowingRule("executor", Sample::liveExecutorsBySite, samples, floor, exemplars);
    }

    /** Growth of {@code java.util.Timer}s (neither cancelled nor reaped) per creation site. */
    public static GrowingRule timers(int samples, int floor, int exemplars) {
        return new GrowingRule("timer", Sample::liveTimersBySite, samples, floor, exemplars);
    }

    /**
     * Growth of queued tasks per executor creation site. A starving pool's queue grows too; {@link StarvedRule}
     * reports that, so those sites are left out here.
     */
    public static GrowingRule queuedTasks(int samples, int floor, int exemplars) {
        return new GrowingRule("queued task", GrowingRule::queuedOutsideStarvingPools, samples, floor, exemplars);
    }

    private static Map<CreationSite, Integer> queuedOutsideStarvingPools(Sample sample) {
        Map<CreationSite, Integer> counts = new HashMap<>(sample.queuedBySite());
        for (ExecutorSnapshot pool : sample.executors()) {
            if (pool.starving() && pool.record().site() != null) {
                counts.remove(pool.record().site());
            }
        }
        return counts;
    }

    private GrowingRule(String kind, Function<Sample, Map<CreationSite, Integer>> counts, int samples, int floor,
                        int exemplars) {
        this.kind = kind;
        this.counts = counts;
        this.samples = Math.max(1, samples);
        this.floor = floor;
        this.exemplars = exemplars;
    }

    private static final class History {
        int last;
        int rises;
        int falls;
        boolean active;
        long sinceNanos;
        final ArrayDeque<Integer> recent = new ArrayDeque<>();
    }

    @Override
    public List<Suspect> evaluate(Sample sample) {
        Map<CreationSite, List<ThreadSnapshot>> bySite = new HashMap<>();
        Set<CreationSite> exempt = new HashSet<>();
        for (ThreadSnapshot s : sample.threads()) {
            CreationSite site = siteOf(s);
            if (site != null) {
                bySite.computeIfAbsent(site, k -> new ArrayList<>()).add(s);
                if (s.exempt()) {
                    exempt.add(site);
                }
            }
        }
        Map<CreationSite, Integer> live = counts.apply(sample);
        for (CreationSite site : live.keySet()) {
            histories.computeIfAbsent(site, k -> new History());
        }
        List<Suspect> out = new ArrayList<>();
        for (Iterator<Map.Entry<CreationSite, History>> it = histories.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<CreationSite, History> e = it.next();
            CreationSite site = e.getKey();
            History h = e.getValue();
            int count = live.getOrDefault(site, 0);
            update(h, count, sample.nanos(), site.jdkInternal() || exempt.contains(site));
            if (h.active) {
                out.add(suspect(site, h, count, bySite.getOrDefault(site, List.of())));
            } else if (count == 0) {
                it.remove();
            }
        }
        return out;
    }

    private void update(History h, int count, long now, boolean exempt) {
        if (count > h.last) {
            h.rises++;
            h.falls = 0;
        } else if (count < h.last) {
            h.rises = 0;
            h.falls++;
        }
        h.last = count;
        h.recent.addLast(count);
        while (h.recent.size() > samples + 1) {
            h.recent.removeFirst();
        }
        if (!h.active && !exempt && h.rises >= samples && count > floor) {
            h.active = true;
            h.sinceNanos = now;
        } else if (h.active && (count <= floor || h.falls >= samples)) {
            h.active = false;
        }
    }

    /** The site a thread counts under here: its own, or for a pool worker its executor's. */
    private CreationSite siteOf(ThreadSnapshot s) {
        if (s.record() == null) {
            return null;
        }
        if (!kind.equals("thread")) {
            ExecutorRecord e = s.record().executor();
            return e == null || e.timer() != kind.equals("timer") ? null : e.site();
        }
        return s.record().executor() == null ? s.site() : null;
    }

    private Suspect suspect(CreationSite site, History h, int count, List<ThreadSnapshot> threads) {
        String history = h.recent.stream().map(String::valueOf).collect(Collectors.joining(" -> "));
        List<String> evidence;
        switch (kind) {
            case "executor":
                evidence = List.of("live executors (not shut down) over the last samples: " + history,
                        "their worker threads alive now: " + threads.size() + " sampled");
                break;
            case "timer":
                evidence = List.of("live timers (not cancelled) over the last samples: " + history,
                        "their timer threads alive now: " + threads.size() + " sampled");
                break;
            case "queued task":
                evidence = List.of("tasks queued in executors created here, over the last samples: " + history);
                break;
            default:
                evidence = List.of("live threads over the last samples: " + history,
                        "started here since the agent loaded: " + site.started() + ", ended: " + site.ended());
        }
        List<ThreadSnapshot> ex = threads.subList(0, Math.min(exemplars, threads.size()));
        ThreadSnapshot first = ex.isEmpty() ? null : ex.get(0);
        boolean shared = first != null && threads.stream().allMatch(t -> Objects.equals(t.waitsOn(), first.waitsOn()));
        return new Suspect("GROWING " + kind + " " + site.id(), RuleName.GROWING, kind, site, site.blame(), count,
                Blames.states(threads), shared ? first.waitsOn() : null,
                !shared || first.ownerName() == null ? null : Blames.describe(first.ownerName(), first.ownerId()),
                h.sinceNanos, ex, evidence);
    }
}
