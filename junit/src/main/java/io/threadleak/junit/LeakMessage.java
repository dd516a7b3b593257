package io.threadleak.junit;

import io.threadleak.api.Leftover;
import java.time.Duration;
import java.util.List;

/** The failure message: the test, and for each leftover its kind, name, state, blame, stacks and an allow rule. */
final class LeakMessage {

    /** Frames of a current stack shown. */
    private static final int CURRENT_FRAMES = 12;
    /** Frames of a creation stack shown below the blamed one (its callers). */
    private static final int FRAMES_BELOW_BLAME = 3;

    private LeakMessage() {
    }

    static String format(String test, List<Leftover> leftovers, Duration settle, boolean byAgent) {
        StringBuilder sb = new StringBuilder();
        sb.append(test).append(" leaked ").append(count(leftovers)).append(": still alive ")
                .append(settle.toMillis()).append(" ms after it ended");
        if (!byAgent) {
            sb.append(" (compared live threads: the agent is not loaded)");
        }
        sb.append('\n');
        for (Leftover l : leftovers) {
            sb.append('\n').append(l.kind()).append(" \"").append(l.name()).append("\" ").append(l.state())
                    .append('\n');
            sb.append("  created at ").append(l.blame()).append('\n');
            if (!l.creationStack().isEmpty()) {
                sb.append("  creation stack:\n");
                frames(sb, l.creationStack(), blamed(l));
            }
            if (!l.currentStack().isEmpty()) {
                sb.append("  current stack").append(l.kind().equals("executor") ? " (a worker)" : "").append(":\n");
                frames(sb, l.currentStack(), -1);
            }
            sb.append("  if it may outlive the test: @ThreadLeakCheck(allow = \"")
                    .append(allowRule(l).replace("\"", "\\\"")).append("\")\n");
        }
        return sb.toString();
    }

    /** Index of the blamed frame in the creation stack, or -1. */
    private static int blamed(Leftover l) {
        List<StackTraceElement> c = l.creationStack();
        for (int i = 0; i < c.size(); i++) {
            if (l.blame().equals(frame(c.get(i)))) {
                return i;
            }
        }
        return -1;
    }

    /** The frames down to a few below the blamed one (the test framework's frames say nothing), or the first few. */
    private static void frames(StringBuilder sb, List<StackTraceElement> frames, int blamed) {
        int shown = Math.min(frames.size(), blamed >= 0 ? blamed + 1 + FRAMES_BELOW_BLAME : CURRENT_FRAMES);
        for (int i = 0; i < shown; i++) {
            sb.append("    at ").append(frame(frames.get(i)));
            if (i == blamed) {
                sb.append("   <-- blamed");
            }
            sb.append('\n');
        }
        if (frames.size() > shown) {
            sb.append("    ... ").append(frames.size() - shown).append(" more\n");
        }
    }

    private static String count(List<Leftover> leftovers) {
        long threads = leftovers.stream().filter(l -> l.kind().equals("thread")).count();
        long executors = leftovers.stream().filter(l -> l.kind().equals("executor")).count();
        long timers = leftovers.stream().filter(l -> l.kind().equals("timer")).count();
        StringBuilder sb = new StringBuilder();
        append(sb, threads, "thread");
        append(sb, executors, "executor");
        append(sb, timers, "timer");
        return sb.toString();
    }

    private static void append(StringBuilder sb, long n, String what) {
        if (n > 0) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(n).append(' ').append(what).append(n == 1 ? "" : "s");
        }
    }

    /** {@code class.method(File.java:line)}, as the agent formats blame frames. */
    static String frame(StackTraceElement f) {
        String where = f.isNativeMethod() ? "Native Method" : f.getFileName() == null ? "Unknown Source"
                : f.getLineNumber() >= 0 ? f.getFileName() + ":" + f.getLineNumber() : f.getFileName();
        return f.getClassName() + "." + f.getMethodName() + "(" + where + ")";
    }

    /** A rule that allows this leftover: by its creation site when known, else by its name. */
    static String allowRule(Leftover l) {
        String blame = l.blame();
        int paren = blame.indexOf('(');
        if (!l.creationStack().isEmpty() && paren > 0) {
            return "created=" + blame.substring(0, paren) + " reason=\"<why it may outlive the test>\"";
        }
        return "thread=" + l.name() + " reason=\"<why it may outlive the test>\"";
    }
}
