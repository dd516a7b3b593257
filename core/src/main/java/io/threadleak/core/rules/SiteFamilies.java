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
 * <p>A family is <em>self-spawning</em> when library threads of the family start further library threads (a site
 * two or more borrowed links below its root): that is a pool managing its own size. Its size follows load, so
 * its growth counts only through its root, the threads the application's own call created: a shared pool keeps
 * one root, while a pool created per request adds roots with every request.
 */
final class SiteFamilies {

    /** One family: its root and what it adds up to. */
    static final class Family {
        final CreationSite root;
        int total;
        int rootOwn;
        boolean selfSpawning;
        CreationSite largest;
        int largestCount;
        final List<CreationSite> members = new ArrayList<>();

        Family(CreationSite root) {
            this.root = root;
        }

        /** The count whose rise makes this family {@code GROWING}. */
        int growthCount() {
            return selfSpawning ? rootOwn : total;
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

    /** Families of the sites with live counts. */
    static Map<CreationSite, Family> of(Map<CreationSite, Integer> live) {
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
            if (site.parent() != null && site.parent().parent() != null) {
                f.selfSpawning = true;
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
