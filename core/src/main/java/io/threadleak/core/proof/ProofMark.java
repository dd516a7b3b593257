package io.threadleak.core.proof;

import java.time.Instant;
import java.util.List;

/**
 * What the proof said about the threads of one {@code STUCK} or {@code DEADLOCK} suspect (its exemplars).
 *
 * @param verdict {@link Verdict#PROVEN} when every thread checked can never wake, {@link Verdict#NOT_PROVEN} when
 *                none was proven, {@link Verdict#PARTLY_PROVEN} in between
 * @param threads each checked thread with its own verdict and the dump that decided it
 */
public record ProofMark(Verdict verdict, List<ThreadMark> threads) {

    /** The verdict on a suspect. */
    public enum Verdict { PROVEN, PARTLY_PROVEN, NOT_PROVEN }

    public ProofMark {
        threads = List.copyOf(threads);
    }

    /**
     * One thread's verdict.
     *
     * @param id             thread id
     * @param name           thread name
     * @param proven         it can never wake
     * @param why            for a proven thread the reason, else the path that may still wake it
     * @param source         who ran the proof ({@code agent} or {@code prove command})
     * @param dumpedAtMillis when the dump that decided it was taken
     * @param pauseMillis    how long that dump paused this JVM
     */
    public record ThreadMark(long id, String name, boolean proven, String why, String source, long dumpedAtMillis,
                             long pauseMillis) {

        /** {@code "the heap dump of 2026-11-30T18:20:01Z (agent, paused 70 ms)"}. */
        public String dump() {
            return "the heap dump of " + Instant.ofEpochMilli(dumpedAtMillis) + " (" + source + ", paused " + pauseMillis
                    + " ms)";
        }
    }

    /** The verdict of these thread marks. */
    static ProofMark of(List<ThreadMark> threads) {
        long proven = threads.stream().filter(ThreadMark::proven).count();
        Verdict v = proven == threads.size() ? Verdict.PROVEN : proven == 0 ? Verdict.NOT_PROVEN : Verdict.PARTLY_PROVEN;
        return new ProofMark(v, threads);
    }

    /** When the most recent dump behind this mark was taken. */
    public long dumpedAtMillis() {
        return threads.stream().mapToLong(ThreadMark::dumpedAtMillis).max().orElse(0);
    }

    /** One line per thread, for the log and the text report. */
    public List<String> lines() {
        return threads.stream().map(t -> (t.proven() ? "PROVEN by " : "not proven by ") + t.dump() + ": \"" + t.name()
                + "\" #" + t.id() + (t.proven() ? " can never wake: " : " may still wake: ") + t.why()).toList();
    }
}
