package io.threadleak.core.rules;

import io.threadleak.core.Config;
import io.threadleak.core.sample.Sample;
import io.threadleak.core.site.FramePolicy;
import java.util.ArrayList;
import java.util.List;

/** Every leak rule with its settings, evaluated in order on each sample. */
public final class RuleSet {

    /** Queued tasks are many and come in bursts: their growth counts only above this many times growthFloor. */
    private static final int QUEUED_FLOOR_FACTOR = 25;

    private final List<Rule> rules;

    public RuleSet(Config config, FramePolicy policy) {
        int samples = config.growthSamples();
        int floor = config.growthFloor();
        int exemplars = config.exemplars();
        this.rules = List.of(
                new GrowingRule(samples, floor, exemplars),
                GrowingRule.executors(samples, floor, exemplars),
                GrowingRule.timers(samples, floor, exemplars),
                GrowingRule.queuedTasks(samples, floor * QUEUED_FLOOR_FACTOR, exemplars),
                new StuckRule(config.stuckAfter().toNanos(), exemplars, policy),
                new StarvedRule(config.stuckAfter().toNanos(), exemplars),
                new CancelIgnoredRule(config.cancelAfter().toNanos(), exemplars, policy),
                new DeadlockRule(policy),
                new ExitBlockedRule(config.exitAfter().toNanos(), exemplars, policy),
                new ScopeLeakRule(config.scopeLinger().toNanos(), exemplars, policy));
    }

    /** The suspects that hold after this sample. */
    public List<Suspect> evaluate(Sample sample) {
        List<Suspect> suspects = new ArrayList<>();
        for (Rule rule : rules) {
            suspects.addAll(rule.evaluate(sample));
        }
        return suspects;
    }
}
