package io.threadleak.core.report;

import io.threadleak.core.site.CreationSite;
import java.util.ArrayList;
import java.util.List;

/** Trims stacks for reports: enough frames to read the cause, the blamed frame marked. */
final class StackView {

    /** Frames shown after the blamed frame (its callers). */
    static final int CONTEXT = 3;
    /** Frames of a current stack shown in text. */
    static final int CURRENT = 12;

    private StackView() {
    }

    /** The creation stack up to a few callers past the blamed frame; the blamed line starts with {@code >>}. */
    static List<String> creation(CreationSite site) {
        StackTraceElement[] frames = site.frames();
        int blame = site.blameIndex();
        int end = blame >= 0 ? Math.min(frames.length, blame + 1 + CONTEXT) : Math.min(frames.length, CURRENT);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < end; i++) {
            lines.add((i == blame ? ">> at " : "   at ") + CreationSite.format(frames[i]));
        }
        if (end < frames.length) {
            lines.add("   ... " + (frames.length - end) + " more");
        }
        return lines;
    }

    /** The first frames of a current stack, without the JVM's hidden lambda frames. */
    static List<String> current(StackTraceElement[] stack) {
        List<String> lines = new ArrayList<>();
        int shown = 0;
        int i = 0;
        for (; i < stack.length && shown < CURRENT; i++) {
            if (!stack[i].getClassName().contains("$$Lambda")) {
                lines.add("   at " + CreationSite.format(stack[i]));
                shown++;
            }
        }
        if (i < stack.length) {
            lines.add("   ... " + (stack.length - i) + " more");
        }
        return lines;
    }

    /** Every frame, formatted, for JSON. */
    static List<String> all(StackTraceElement[] stack) {
        List<String> lines = new ArrayList<>(stack.length);
        for (StackTraceElement f : stack) {
            lines.add(CreationSite.format(f));
        }
        return lines;
    }
}
