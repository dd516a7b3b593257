package io.threadleak.core.proof;

import io.threadleak.core.rules.Suspect;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The log lines of a proof result the sampler picked up: one summary, then one message per suspect it marked. */
public final class ProofLog {

    private ProofLog() {
    }

    public static List<String> lines(ProofMarks.Picked p) {
        ProofResult r = p.result();
        List<String> out = new ArrayList<>();
        String head = "prove: the heap dump of " + Instant.ofEpochMilli(r.dumpedAtMillis()) + " (" + r.source()
                + ") paused this JVM " + r.pauseMillis() + " ms; ";
        if (r.refused() != null) {
            out.add(head + "nothing proven: " + r.refused());
        } else {
            out.add(head + r.provenCount() + " of " + r.threads().size() + " waiting threads can never wake; "
                    + (p.marked().isEmpty() ? "none of them belongs to a STUCK or DEADLOCK suspect"
                    : p.marked().size() + (p.marked().size() == 1 ? " suspect" : " suspects") + " marked"));
        }
        for (Map.Entry<Suspect, ProofMark> e : p.marked().entrySet()) {
            Suspect s = e.getKey();
            StringBuilder b = new StringBuilder(e.getValue().verdict().name().replace('_', ' ')).append(' ')
                    .append(s.rule()).append(" created at ").append(s.blame());
            for (String l : e.getValue().lines()) {
                b.append(System.lineSeparator()).append("    ").append(l);
            }
            out.add(b.toString());
        }
        return out;
    }
}
