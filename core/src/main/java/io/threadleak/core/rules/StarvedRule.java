package io.threadleak.core.rules;

import io.threadleak.core.registry.ExecutorRecord;
import io.threadleak.core.sample.ExecutorSnapshot;
import io.threadleak.core.sample.FutureView;
import io.threadleak.core.sample.Sample;
import io.threadleak.core.sample.ThreadSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code STARVED}: a thread pool has had tasks queued, every worker busy or blocked, and not one task completed,
 * for at least {@code starvedAfter}. The classic case is a pool-starvation deadlock: tasks that wait for other
 * tasks of the same fixed pool, which sit in the queue behind them. Blames the pool's creation site; the
 * evidence names what each worker waits for, and says so when that is a task queued in the same pool.
 */
public final class StarvedRule implements Rule {

    private final long starvedAfterNanos;
    private final int exemplars;
    private final Map<Long, Long> starvingSince = new HashMap<>();

    public StarvedRule(long starvedAfterNanos, int exemplars) {
        this.starvedAfterNanos = starvedAfterNanos;
        this.exemplars = exemplars;
    }

    @Override
    public List<Suspect> evaluate(Sample sample) {
        Map<Long, Long> still = new HashMap<>();
        List<Suspect> out = new ArrayList<>();
        for (ExecutorSnapshot pool : sample.executors()) {
            ExecutorRecord record = pool.record();
            if (!pool.starving() || record.origin() == ExecutorRecord.Origin.SYSTEM
                    || (record.site() != null && record.site().jdkInternal())) {
                continue;
            }
            long since = starvingSince.getOrDefault(record.id(), sample.nanos());
            still.put(record.id(), since);
            if (sample.nanos() - since >= starvedAfterNanos) {
                out.add(suspect(pool, workers(sample, record), since));
            }
        }
        starvingSince.clear();
        starvingSince.putAll(still);
        return out;
    }

    private static List<ThreadSnapshot> workers(Sample sample, ExecutorRecord record) {
        List<ThreadSnapshot> out = new ArrayList<>();
        for (ThreadSnapshot t : sample.threads()) {
            if (t.record() != null && t.record().executor() == record) {
                out.add(t);
            }
        }
        return out;
    }

    private Suspect suspect(ExecutorSnapshot pool, List<ThreadSnapshot> workers, long since) {
        ExecutorRecord record = pool.record();
        List<String> evidence = new ArrayList<>();
        evidence.add("all " + pool.poolSize() + " workers of " + record + " are busy or blocked, " + pool.queued()
                + " tasks wait in its queue, and none completed since");
        int sameQueue = 0;
        for (ThreadSnapshot w : workers) {
            FutureView f = w.waitsFor();
            if (f != null && f.queuedIn() == record) {
                sameQueue++;
            }
            evidence.addAll(Blames.chain(w));
        }
        if (sameQueue > 0) {
            evidence.add(0, sameQueue + " of them wait for tasks queued in this same pool, behind them: "
                    + "a pool-starvation deadlock");
        }
        String blame = record.site() != null ? record.site().blame()
                : "<unknown: " + record + " was created before the agent loaded>";
        return new Suspect("STARVED " + record.id(), RuleName.STARVED, "executor", record.site(), blame,
                1, Blames.states(workers), null, null, since,
                workers.subList(0, Math.min(exemplars, workers.size())), evidence);
    }
}
