package io.threadleak.core.sample;

import io.threadleak.core.site.CreationSite;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Counts per creation site for one sample, without boxing. The sampler counts 100,000 virtual threads a sample,
 * most of them from a few sites, so the site of the previous call is remembered and a run of threads from one
 * site costs no map lookup. Sampler thread only.
 */
final class SiteTally {

    private final Map<CreationSite, int[]> counts = new IdentityHashMap<>();
    private CreationSite lastSite;
    private int[] lastCount;

    /** Adds one to the site's count and returns the new count. */
    int add(CreationSite site) {
        if (site != lastSite) {
            lastSite = site;
            lastCount = counts.computeIfAbsent(site, k -> new int[1]);
        }
        return ++lastCount[0];
    }

    /** The counts, boxed once per site. */
    Map<CreationSite, Integer> toMap() {
        Map<CreationSite, Integer> out = new HashMap<>();
        counts.forEach((site, n) -> out.put(site, n[0]));
        return out;
    }
}
