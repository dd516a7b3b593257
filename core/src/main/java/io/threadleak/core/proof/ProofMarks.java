package io.threadleak.core.proof;

import io.threadleak.core.proof.ProofMark.ThreadMark;
import io.threadleak.core.proof.ProofResult.ThreadVerdict;
import io.threadleak.core.rules.RuleName;
import io.threadleak.core.rules.Suspect;
import io.threadleak.core.sample.ThreadSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Proof results matched to the suspects they are about. Results arrive from any thread ({@link #offer}: the
 * agent's prover thread, a {@code prove} command through JMX); the sampler thread picks them up at its next sample
 * ({@link #update}) and matches them, by thread id, to the threads (exemplars) of the {@code STUCK} and
 * {@code DEADLOCK} suspects that held when the dump was taken. A thread that waits on something else now than in
 * the dump is not matched: PROVEN only where the proof said so. Memory is bounded by the suspects' exemplars.
 */
public final class ProofMarks {

    /** Why a suspect's thread the proof did not examine is not proven. */
    static final String NOT_CANDIDATE = "it was not waiting without a timeout, nor blocked on a monitor, when the dump"
            + " was taken (only such threads can be proven)";
    private static final int MAX_PENDING = 4;

    private final ConcurrentLinkedQueue<ProofResult> pending = new ConcurrentLinkedQueue<>();
    /** Sampler thread only. */
    private final Map<Long, ThreadMark> byThread = new HashMap<>();
    private volatile Map<String, ProofMark> marks = Map.of();

    /** A result picked up, and the suspects it marked (for the log). */
    public record Picked(ProofResult result, Map<Suspect, ProofMark> marked) {
    }

    /** Hands in a result; any thread. At most a few wait for the sampler: older ones are dropped. */
    public void offer(ProofResult result) {
        pending.add(result);
        while (pending.size() > MAX_PENDING) {
            pending.poll();
        }
    }

    /** Whether the proof applies to this suspect's rule. */
    public static boolean provable(Suspect s) {
        return s.rule() == RuleName.STUCK || s.rule() == RuleName.DEADLOCK;
    }

    /**
     * Sampler thread: picks up the results handed in since the last call, matches them to {@code current}, and
     * recomputes every suspect's mark.
     *
     * @return the results picked up, each with the suspects it marked
     */
    public List<Picked> update(List<Suspect> current, long nowNanos, long nowMillis) {
        if (pending.isEmpty() && byThread.isEmpty()) {
            return List.of(); // the usual case: nothing was ever proven
        }
        List<Picked> picked = new ArrayList<>();
        for (ProofResult r; (r = pending.poll()) != null; ) {
            picked.add(new Picked(r, match(r, current, nowNanos - (nowMillis - r.dumpedAtMillis()) * 1_000_000)));
        }
        Set<Long> live = new HashSet<>();
        Map<String, ProofMark> next = new LinkedHashMap<>();
        for (Suspect s : current) {
            if (!provable(s)) {
                continue;
            }
            List<ThreadMark> threads = new ArrayList<>();
            for (ThreadSnapshot x : s.exemplars()) {
                live.add(x.id());
                ThreadMark m = byThread.get(x.id());
                if (m != null) {
                    threads.add(m);
                }
            }
            if (!threads.isEmpty()) {
                next.put(s.key(), ProofMark.of(threads));
            }
        }
        byThread.keySet().retainAll(live);
        marks = next.isEmpty() ? Map.of() : Map.copyOf(next);
        return picked;
    }

    private Map<Suspect, ProofMark> match(ProofResult r, List<Suspect> current, long dumpNanos) {
        Map<Long, ThreadVerdict> byTid = new HashMap<>();
        for (ThreadVerdict v : r.threads()) {
            byTid.put(v.tid(), v);
        }
        Map<Suspect, ProofMark> marked = new LinkedHashMap<>();
        for (Suspect s : current) {
            if (!provable(s) || s.sinceNanos() - dumpNanos > 0) {
                continue; // it began after the dump: the dump says nothing about it
            }
            List<ThreadMark> threads = new ArrayList<>();
            for (ThreadSnapshot x : s.exemplars()) {
                ThreadVerdict v = byTid.get(x.id());
                ThreadMark m;
                if (v == null) {
                    m = new ThreadMark(x.id(), x.name(), false, r.refused() != null ? r.refused() : NOT_CANDIDATE,
                            r.source(), r.dumpedAtMillis(), r.pauseMillis());
                } else if (!sameWait(v, x)) {
                    continue; // it waits on something else now: this proof is not about its current wait
                } else {
                    m = new ThreadMark(x.id(), x.name(), v.proven(), v.why(), r.source(), r.dumpedAtMillis(),
                            r.pauseMillis());
                }
                byThread.put(x.id(), m);
                threads.add(m);
            }
            if (!threads.isEmpty()) {
                marked.put(s, ProofMark.of(threads));
            }
        }
        return marked;
    }

    private static boolean sameWait(ThreadVerdict v, ThreadSnapshot x) {
        return x.waitsOn() == null || v.waitsOn() == null || v.waitsOn().equals("?")
                || v.waitsOn().equals(x.waitsOn().toString());
    }

    /** The current marks by suspect key; any thread. */
    public Map<String, ProofMark> marks() {
        return marks;
    }
}
