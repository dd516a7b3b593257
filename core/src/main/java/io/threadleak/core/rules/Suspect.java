package io.threadleak.core.rules;

import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.sample.WaitTarget;
import io.threadleak.core.site.CreationSite;
import java.util.List;
import java.util.Map;

/**
 * One finding of one rule: what it blames, how many things it covers, and the evidence.
 *
 * @param key        identity across samples (same rule, same site or cycle): used to report changes only
 * @param rule       the rule that fired
 * @param kind       what is counted ({@code thread})
 * @param site       the creation site blamed, or {@code null} for threads not seen starting
 * @param blame      the blamed frame as {@code class.method(File.java:line)}
 * @param count      how many things it covers
 * @param states     how many of them are in each activity
 * @param waitsOn    what the exemplar waits on, or {@code null}
 * @param owner      who holds it ({@code "name" #id}), or {@code null}
 * @param sinceNanos when the condition began (monotonic)
 * @param exemplars  a few of the threads, most telling first
 * @param evidence   rule-specific lines (the deadlock cycle, the growth history...)
 */
public record Suspect(
        String key,
        RuleName rule,
        String kind,
        CreationSite site,
        String blame,
        int count,
        Map<String, Integer> states,
        WaitTarget waitsOn,
        String owner,
        long sinceNanos,
        List<ThreadSnapshot> exemplars,
        List<String> evidence) {

    public Suspect {
        states = Map.copyOf(states);
        exemplars = List.copyOf(exemplars);
        evidence = List.copyOf(evidence);
    }
}
