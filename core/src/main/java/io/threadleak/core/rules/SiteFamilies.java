package io.threadleak.core.rules;

import io.threadleak.core.site.CreationSite;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups thread creation sites into families for {@code GROWING}: a site whose creation stack holds no application
 * frame (library code started the thread, from a thread of another site) belongs to the family of that creating
 * site, up the chain to the root, the site with the application call. One library pool whose threads start each
 * other through several paths spreads over many sites; as a family it is one count.
 *
 * <p>A family is a <em>pool</em> when the threads its library code started behave like pool workers: some of them
 * wait for work (idle at a queue, selector or accept) or some of them have ended (the pool shrinks when load
 * drops). A pool's size follows load, so its growth counts only through its root, the threads the application's
 * own call created: a shared pool keeps one root, while a pool created per request adds roots with every request.
 * Threads a library started that neither wait for work nor ever end (a helper per request that runs forever) make
 * no pool: the whole family counts.
 */
final class SiteFamilies {

    /** One family: its root and what it adds up to. */
    static final class Family {
        final CreationSite root;
        int total;
        int rootOwn;
        boolean pool;
        CreationSite largest;
        int largestCount;
        final List<CreationSite> members = new ArrayList<>();

        Family(CreationSite root) {
            this.root = root;
        }

        /** The count whose rise makes this family {@code GROWING}. */
        int growthCount() {
            return pool ? rootOwn : total;
        }
    }

    private SiteFamilies() {
    }

    /** The root of a site's family. */
    static CreationSite root(CreationSite site) {
        CreationSite r = site;
        for (int depth = 0; r.parent() != null && depth < 64; depth++) {
            r = r.parent();
        }
        return r;
    }

    /**
     * Families of the sites with live counts.
     *
     * @param idleSites sites with a thread waiting for work in this sample
     */
    static Map<CreationSite, Family> of(Map<CreationSite, Integer> live, java.util.Set<CreationSite> idleSites) {
        Map<CreationSite, Family> out = new HashMap<>();
        for (Map.Entry<CreationSite, Integer> e : live.entrySet()) {
            CreationSite site = e.getKey();
            int n = e.getValue();
            Family f = out.computeIfAbsent(root(site), Family::new);
            f.total += n;
            f.members.add(site);
            if (site == f.root) {
                f.rootOwn += n;
            }
            if (site.parent() != null && (site.ended() > 0 || idleSites.contains(site))) {
                f.pool = true; // threads the library started wait for work or end: workers of a pool
            }
            if (f.largest == null || n > f.largestCount) {
                f.largest = site;
                f.largestCount = n;
            }
        }
        return out;
    }

    /** Each site its own family (executors, timers, queued tasks). */
    static Map<CreationSite, Family> identity(Map<CreationSite, Integer> live) {
        Map<CreationSite, Family> out = new HashMap<>();
        for (Map.Entry<CreationSite, Integer> e : live.entrySet()) {
            Family f = new Family(e.getKey());
            f.total = f.rootOwn = f.largestCount = e.getValue();
            f.largest = e.getKey();
            f.members.add(e.getKey());
            out.put(e.getKey(), f);
        }
        return out;
    }
}
