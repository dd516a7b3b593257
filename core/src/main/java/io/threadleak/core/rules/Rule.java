package io.threadleak.core.rules;

import io.threadleak.core.sample.Sample;
import java.util.List;

/** A leak rule. Rules keep their own state across samples and are called from one thread only. */
public interface Rule {

    /** Updates the rule with a new sample and returns the suspects that hold now. */
    List<Suspect> evaluate(Sample sample);
}
