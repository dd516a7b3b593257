package io.threadleak.core.rules;

import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.FramePolicy;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** What a thread's suspect blames, and how threads are grouped: by creation site, never by name. */
final class Blames {

    private Blames() {
    }

    /** The group of a thread: its creation site, or for a thread not seen starting the frame its stack blames. */
    static String groupKey(ThreadSnapshot s, FramePolicy policy) {
        CreationSite site = s.site();
        return site != null ? site.id() : "at " + blame(s, policy);
    }

    /** The creation site's blame frame; for a thread not seen starting, the first blameable frame it runs. */
    static String blame(ThreadSnapshot s, FramePolicy policy) {
        CreationSite site = s.site();
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

    /** Counts of activities, by name, in a stable order. */
    static Map<String, Integer> states(Collection<ThreadSnapshot> threads) {
        Map<String, Integer> states = new TreeMap<>();
        for (ThreadSnapshot s : threads) {
            states.merge(s.activity().name(), 1, Integer::sum);
        }
        return states;
    }

    /** {@code "name" #id}. */
    static String describe(String name, long id) {
        return "\"" + name + "\" #" + id;
    }
}
