package io.threadleak.prove;

import io.threadleak.prove.HeapAnalysis.NotProven;
import io.threadleak.prove.HeapAnalysis.Proven;
import io.threadleak.prove.HeapAnalysis.Verdict;
import io.threadleak.prove.HeapAnalysis.Waiter;
import java.util.ArrayList;
import java.util.List;

/** Renders a {@link Verdict} as text or as one JSON object. */
final class Report {

    private static final int MAX_FRAMES = 24;

    private Report() {
    }

    static List<String> caveats(TargetDump dump, Verdict v, boolean strict) {
        List<String> out = new ArrayList<>(v.caveats());
        if (!strict) {
            out.add("code that interrupts or unparks arbitrary threads can still wake a proven thread");
        }
        out.add("blame is the top application frame of the current stack; the threadleak agent's reports (where it"
                + " runs) show the creation site of the suspects this proof marks");
        return out;
    }

    static String text(TargetDump dump, Verdict v, boolean strict, boolean keep) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("threadleak prove: pid %d, JDK %s; the dump paused the target %d ms (%d MB of heap"
                        + " in use, %d MB dump, %d objects), analysed in %d ms%n", dump.pid, dump.jdkVersion,
                dump.pauseMillis, dump.heapUsedBytes >> 20, dump.dumpBytes() >> 20, v.objectCount(), v.analysisMillis()));
        if (v.refused() != null) {
            sb.append("NOTHING PROVEN: ").append(v.refused()).append('\n');
        }
        int candidates = v.proven().size() + v.notProven().size();
        if (!v.phaseMillis().isEmpty()) {
            sb.append("analysis phases (ms): ").append(v.phaseMillis().getOrDefault("index", 0L)).append(" index, ")
                    .append(v.phaseMillis().getOrDefault("references", 0L)).append(" references, ")
                    .append(v.phaseMillis().getOrDefault("proof", 0L)).append(" proof, ")
                    .append(v.phaseMillis().getOrDefault("paths", 0L)).append(" paths\n");
        }
        sb.append(String.format("PROVEN: %d of %d waiting threads can never wake up%n", v.proven().size(), candidates));
        for (Proven p : v.proven()) {
            Waiter w = p.waiter();
            sb.append(String.format("%nPROVEN \"%s\" %s on %s%n", w.name(), w.state(), w.waitsOn()));
            sb.append("    because ").append(p.reason()).append('\n');
            sb.append("    blame: ").append(blame(w)).append('\n');
            if (p.interruptibleVia() != null) {
                sb.append("    its Thread is still reachable (an interrupt() could end an interruptible wait): ")
                        .append(p.interruptibleVia()).append('\n');
            }
            for (StackTraceElement e : stack(w)) {
                sb.append("        at ").append(frame(e)).append('\n');
            }
        }
        for (NotProven n : v.notProven()) {
            Waiter w = n.waiter();
            sb.append(String.format("%nnot proven \"%s\" %s on %s%n    may still wake: %s%n", w.name(), w.state(),
                    w.waitsOn(), n.path()));
        }
        sb.append('\n');
        for (String c : caveats(dump, v, strict)) {
            sb.append("note: ").append(c).append('\n');
        }
        if (keep) {
            sb.append("the dump is kept at ").append(dump.file).append(" (it holds the target's data: delete it)\n");
        }
        return sb.toString();
    }

    static String json(TargetDump dump, Verdict v, boolean strict, boolean keep) {
        StringBuilder sb = new StringBuilder("{");
        field(sb, "pid").append(dump.pid).append(',');
        field(sb, "jdk").append(str(dump.jdkVersion)).append(',');
        field(sb, "dumpedAt").append(str(java.time.Instant.ofEpochMilli(dump.dumpedAtMillis).toString())).append(',');
        field(sb, "pauseMillis").append(dump.pauseMillis).append(',');
        field(sb, "analysisMillis").append(v.analysisMillis()).append(',');
        field(sb, "analysisPhaseMillis").append('{');
        int phases = 0;
        for (String phase : List.of("index", "references", "proof", "paths")) {
            Long ms = v.phaseMillis().get(phase);
            if (ms != null) {
                sb.append(phases++ == 0 ? "" : ",").append(str(phase)).append(':').append(ms);
            }
        }
        sb.append("},");
        field(sb, "heapUsedBytes").append(dump.heapUsedBytes).append(',');
        field(sb, "dumpBytes").append(dump.dumpBytes()).append(',');
        field(sb, "objects").append(v.objectCount()).append(',');
        field(sb, "strict").append(strict).append(',');
        field(sb, "refused").append(str(v.refused())).append(',');
        field(sb, "keptDump").append(keep ? str(dump.file.toString()) : "null").append(',');
        field(sb, "proven").append('[');
        for (int i = 0; i < v.proven().size(); i++) {
            Proven p = v.proven().get(i);
            Waiter w = p.waiter();
            sb.append(i == 0 ? "{" : ",{");
            common(sb, w);
            field(sb, "reason").append(str(p.reason())).append(',');
            field(sb, "blame").append(str(blame(w))).append(',');
            field(sb, "interruptibleVia").append(p.interruptibleVia() == null ? "null" : str(p.interruptibleVia())).append(',');
            field(sb, "stack").append('[');
            List<StackTraceElement> stack = stack(w);
            for (int k = 0; k < stack.size(); k++) {
                sb.append(k == 0 ? "" : ",").append(str(frame(stack.get(k))));
            }
            sb.append("]}");
        }
        sb.append("],");
        field(sb, "notProven").append('[');
        for (int i = 0; i < v.notProven().size(); i++) {
            NotProven n = v.notProven().get(i);
            sb.append(i == 0 ? "{" : ",{");
            common(sb, n.waiter());
            field(sb, "path").append(str(n.path())).append('}');
        }
        sb.append("],");
        field(sb, "caveats").append('[');
        List<String> caveats = caveats(dump, v, strict);
        for (int k = 0; k < caveats.size(); k++) {
            sb.append(k == 0 ? "" : ",").append(str(caveats.get(k)));
        }
        return sb.append("]}").toString();
    }

    private static void common(StringBuilder sb, Waiter w) {
        field(sb, "thread").append(str(w.name())).append(',');
        field(sb, "tid").append(w.tid()).append(',');
        field(sb, "state").append(str(w.state())).append(',');
        field(sb, "waitsOn").append(str(w.waitsOn())).append(',');
        field(sb, "owner").append(w.ownerName() == null ? "null" : str(w.ownerName())).append(',');
    }

    /** The top application frame: the first frame of neither the JDK nor the JVM's own modules. */
    static String blame(Waiter w) {
        for (StackTraceElement e : w.snapshot() == null ? List.<StackTraceElement>of() : w.snapshot().stack()) {
            String module = e.getModuleName();
            String cls = e.getClassName();
            boolean jdk = (module != null && (module.startsWith("java.") || module.startsWith("jdk.")))
                    || cls.startsWith("java.") || cls.startsWith("javax.") || cls.startsWith("jdk.")
                    || cls.startsWith("sun.") || cls.startsWith("com.sun.");
            if (!jdk) {
                return frame(e);
            }
        }
        return "?";
    }

    /** {@code pkg.Class.method(File.java:12)}, without the loader and module prefixes. */
    static String frame(StackTraceElement e) {
        String where = e.isNativeMethod() ? "Native Method"
                : e.getFileName() == null ? "Unknown Source"
                : e.getLineNumber() >= 0 ? e.getFileName() + ":" + e.getLineNumber() : e.getFileName();
        return e.getClassName() + "." + e.getMethodName() + "(" + where + ")";
    }

    private static List<StackTraceElement> stack(Waiter w) {
        if (w.snapshot() == null) {
            return List.of();
        }
        List<StackTraceElement> s = w.snapshot().stack();
        return s.size() > MAX_FRAMES ? s.subList(0, MAX_FRAMES) : s;
    }

    private static StringBuilder field(StringBuilder sb, String name) {
        return sb.append(str(name)).append(':');
    }

    static String str(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
