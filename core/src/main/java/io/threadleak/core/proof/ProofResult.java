package io.threadleak.core.proof;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one run of {@code prove --format json} found, as the agent keeps it: when the dump was taken and how long it
 * paused this JVM, and a verdict per waiting thread it examined (see {@code docs/proven.md}).
 *
 * @param source        who ran it: {@code "agent"} (the {@code prove=} option) or {@code "prove command"}
 * @param pid           the process the dump was taken of
 * @param dumpedAtMillis when the dump began, epoch milliseconds
 * @param pauseMillis   how long the dump paused the target
 * @param refused       why nothing could be proven (JDK 21 with virtual threads), or {@code null}
 * @param threads       every candidate thread: proven or not, with why
 */
public record ProofResult(String source, long pid, long dumpedAtMillis, long pauseMillis, String refused,
                          List<ThreadVerdict> threads) {

    public ProofResult {
        threads = List.copyOf(threads);
    }

    /**
     * One thread the proof examined.
     *
     * @param tid     its thread id
     * @param name    its name at the dump
     * @param waitsOn what it waited on ({@code class@identityHash}, as the agent shows it), or {@code "?"}
     * @param proven  whether it can never wake
     * @param why     for a proven thread, the reason; else the path that may still wake it
     */
    public record ThreadVerdict(long tid, String name, String waitsOn, boolean proven, String why) {
    }

    /** The number of proven threads. */
    public long provenCount() {
        return threads.stream().filter(ThreadVerdict::proven).count();
    }

    /**
     * Reads the output of {@code prove --format json}.
     *
     * @throws IllegalArgumentException when it is not that output
     */
    public static ProofResult parse(String json, String source) {
        Object root = ProofJson.parse(json);
        if (!(root instanceof Map<?, ?> m) || !m.containsKey("proven") || !m.containsKey("notProven")) {
            throw new IllegalArgumentException("not the JSON of prove: no proven and notProven arrays");
        }
        long dumpedAt;
        try {
            Object at = m.get("dumpedAt");
            dumpedAt = at instanceof String s ? Instant.parse(s).toEpochMilli() : System.currentTimeMillis();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not the JSON of prove: bad dumpedAt " + m.get("dumpedAt"));
        }
        List<ThreadVerdict> threads = new ArrayList<>();
        for (Object o : list(m.get("proven"))) {
            threads.add(verdict(o, true, "reason"));
        }
        for (Object o : list(m.get("notProven"))) {
            threads.add(verdict(o, false, "path"));
        }
        return new ProofResult(source, number(m.get("pid")), dumpedAt, number(m.get("pauseMillis")),
                m.get("refused") instanceof String r ? r : null, threads);
    }

    private static ThreadVerdict verdict(Object o, boolean proven, String whyField) {
        if (!(o instanceof Map<?, ?> t) || !(t.get("thread") instanceof String name)) {
            throw new IllegalArgumentException("not the JSON of prove: a thread without a name");
        }
        Object tid = t.get("tid");
        return new ThreadVerdict(tid instanceof Long l ? l : -1, name,
                t.get("waitsOn") instanceof String w ? w : "?", proven,
                t.get(whyField) instanceof String why ? why : "");
    }

    private static List<?> list(Object o) {
        if (!(o instanceof List<?> l)) {
            throw new IllegalArgumentException("not the JSON of prove: proven and notProven must be arrays");
        }
        return l;
    }

    private static long number(Object o) {
        return o instanceof Long l ? l : -1;
    }
}
