package io.threadleak.core.rules;

import io.threadleak.core.registry.ExecutorRecord;
import io.threadleak.core.sample.Activity;
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
 *
 * <p>Load is not a leak. Threads count by family ({@link SiteFamilies}): the sites of threads a library started
 * from threads of one family add up to one count, so one pool spread over many sites is one count and true. A pool
 * whose library-started threads wait for work or end is a pool and grows with load; its rise counts only through its
 * root, the threads the application's own call created, so a shared pool never grows while a pool created per
 * request does. JDK
 * pool workers count with their executor, where one shared executor is one. A suspect whose count has not risen
 * for {@value #LEVELLED_FACTOR} times {@code samples} samples is shown as levelled off; it resolves when its count
 * falls back to the floor or falls in {@code samples} samples, since threads that never end stay leaked.
 */
public final class GrowingRule implements Rule {

    private final String kind;
    private final Function<Sample, Map<CreationSite, Integer>> counts;
    private final int samples;
    private final int floor;
    private final int exemplars;
    private final Map<CreationSite, History> histories = new HashMap<>();
    /** A suspect with no rise in this many times {@code samples} samples is shown as levelled off. */
    private static final int LEVELLED_FACTOR = 3;
    /** The first words of the evidence line of a suspect whose count stopped rising. */
    public static final String LEVELLED_OFF = "levelled off";

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
        int lastGrowth;
        int rises;
        int falls;
        int flat;
        boolean pool;
        boolean active;
        long sinceNanos;
        final ArrayDeque<Integer> recent = new ArrayDeque<>();
    }

    @Override
    public List<Suspect> evaluate(Sample sample) {
        Map<CreationSite, Integer> live = counts.apply(sample);
        if (live.isEmpty() && histories.isEmpty()) {
            return List.of(); // nothing of this kind, now or before: no need to go through the threads
        }
        Map<CreationSite, List<ThreadSnapshot>> bySite = new HashMap<>();
        Set<CreationSite> exempt = new HashSet<>();
        Set<CreationSite> idle = new HashSet<>();
        for (ThreadSnapshot s : sample.threads()) {
            CreationSite site = siteOf(s);
            if (site != null) {
                bySite.computeIfAbsent(site, k -> new ArrayList<>()).add(s);
                if (s.exempt()) {
                    exempt.add(site);
                }
                if (s.activity() == Activity.IDLE) {
                    idle.add(site);
                }
            }
        }
        Map<CreationSite, SiteFamilies.Family> families = kind.equals("thread") ? SiteFamilies.of(live, idle)
                : SiteFamilies.identity(live);
        for (CreationSite root : families.keySet()) {
            histories.computeIfAbsent(root, k -> new History());
        }
        List<Suspect> out = new ArrayList<>();
        for (Iterator<Map.Entry<CreationSite, History>> it = histories.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<CreationSite, History> e = it.next();
            CreationSite root = e.getKey();
            History h = e.getValue();
            SiteFamilies.Family family = families.get(root);
            int count = family == null ? 0 : family.total;
            h.pool |= family != null && family.pool; // once seen working as a pool, judged as one
            int growth = family == null ? 0 : h.pool ? family.rootOwn : family.total;
            boolean skip = root.jdkInternal() || (family != null && family.members.stream().anyMatch(exempt::contains));
            // threads a library started show that they are pool workers only once load drops (they wait for work,
            // or end): until a family has shown it, its rise must last twice as long, as a pool ramping up with
            // load looks like a leak for as long as the ramp lasts
            boolean undecided = family != null && !h.pool && family.members.stream().anyMatch(m -> m.parent() != null);
            update(h, count, growth, sample.nanos(), skip, undecided ? 2 * samples : samples);
            if (h.active) {
                out.add(suspect(root, family, h, count, threads(family, bySite)));
            } else if (count == 0) {
                it.remove();
            }
        }
        return out;
    }

    private static List<ThreadSnapshot> threads(SiteFamilies.Family family, Map<CreationSite, List<ThreadSnapshot>> bySite) {
        if (family == null) {
            return List.of();
        }
        List<ThreadSnapshot> out = new ArrayList<>(bySite.getOrDefault(family.largest, List.of()));
        for (CreationSite m : family.members) {
            if (m != family.largest) {
                out.addAll(bySite.getOrDefault(m, List.of()));
            }
        }
        return out;
    }

    /**
     * @param count  the family's live count (reported)
     * @param growth the count whose rises make it grow: the same, or for a pool its root's own count
     * @param risesNeeded rising samples in a row before it is {@code GROWING}
     */
    private void update(History h, int count, int growth, long now, boolean exempt, int risesNeeded) {
        if (growth > h.lastGrowth) {
            h.rises++;
            h.falls = 0;
        } else if (growth < h.lastGrowth) {
            h.rises = 0;
            h.falls++;
        }
        h.flat = count > h.last ? 0 : h.flat + 1;
        if (count < h.last && growth == h.lastGrowth) {
            h.falls++; // a pool shrinking: its threads end
        }
        h.last = count;
        h.lastGrowth = growth;
        h.recent.addLast(count);
        while (h.recent.size() > samples + 1) {
            h.recent.removeFirst();
        }
        if (!h.active && !exempt && h.rises >= risesNeeded && count > floor) {
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

    private Suspect suspect(CreationSite root, SiteFamilies.Family family, History h, int count,
                            List<ThreadSnapshot> threads) {
        CreationSite site = family == null || family.largest == null ? root : family.largest;
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
                evidence = new ArrayList<>(List.of("live threads over the last samples: " + history,
                        "started here since the agent loaded: " + site.started() + ", ended: " + site.ended()));
                if (family != null && family.members.size() > 1) {
                    evidence.add("one family of " + family.members.size() + " creation sites (threads a library "
                            + "started from threads of this family), counted together");
                }
        }
        if (h.flat >= LEVELLED_FACTOR * samples) {
            evidence = new ArrayList<>(evidence);
            evidence.add(0, LEVELLED_OFF + " at " + count + ": no rise in the last " + h.flat + " samples");
        }
        List<ThreadSnapshot> ex = threads.subList(0, Math.min(exemplars, threads.size()));
        ThreadSnapshot first = ex.isEmpty() ? null : ex.get(0);
        boolean shared = first != null && threads.stream().allMatch(t -> Objects.equals(t.waitsOn(), first.waitsOn()));
        return new Suspect("GROWING " + kind + " " + root.id(), RuleName.GROWING, kind, site, site.blame(), count,
                Blames.states(threads), shared ? first.waitsOn() : null,
                !shared || first.ownerName() == null ? null : Blames.describe(first.ownerName(), first.ownerId()),
                h.sinceNanos, ex, evidence);
    }
}
