package io.threadleak.core.site;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Captures the stack of the calling thread cheaply: class, method and bytecode index only, skipping the
 * agent's own frames. {@link #head} stops at the first blameable frame, which is all a known site needs;
 * the full stack and its line numbers are taken only when a site is seen for the first time.
 */
public final class StackCapture {

    private static final StackWalker WALKER = StackWalker.getInstance();

    private final Walk walk;
    private final int depth;

    public StackCapture(int depth) {
        this.depth = Math.max(1, depth);
        this.walk = new Walk(this.depth, null);
    }

    /** Collects up to {@code limit} frames after the agent's own. A class, not a lambda: no indy bootstrap
     *  on the host's start-up path. */
    private static final class Walk implements Function<Stream<StackWalker.StackFrame>, List<StackWalker.StackFrame>> {
        private final int limit;
        private final FramePolicy stopAfterBlame;

        Walk(int limit, FramePolicy stopAfterBlame) {
            this.limit = limit;
            this.stopAfterBlame = stopAfterBlame;
        }

        @Override
        public List<StackWalker.StackFrame> apply(Stream<StackWalker.StackFrame> frames) {
            List<StackWalker.StackFrame> out = new ArrayList<>(Math.min(limit, 32));
            Iterator<StackWalker.StackFrame> it = frames.iterator();
            boolean inAgent = true;
            while (it.hasNext() && out.size() < limit) {
                StackWalker.StackFrame f = it.next();
                if (inAgent && FramePolicy.isAgent(f.getClassName())) {
                    continue;
                }
                inAgent = false;
                out.add(f);
                if (stopAfterBlame != null && stopAfterBlame.isBlameable(f.getClassName())) {
                    break;
                }
            }
            return out;
        }
    }

    /** The caller's stack, innermost first, without agent frames. */
    public RawStack capture() {
        return toRaw(WALKER.walk(walk));
    }

    /** The caller's stack down to the first frame {@code policy} blames (all of it when none). */
    public RawStack head(FramePolicy policy) {
        return toRaw(WALKER.walk(new Walk(depth, policy)));
    }

    /** Frames already walked (by the bootstrap bridge), innermost first. */
    public static RawStack of(List<StackWalker.StackFrame> frames) {
        return toRaw(frames);
    }

    private static RawStack toRaw(List<StackWalker.StackFrame> frames) {
        int n = frames.size();
        String[] classes = new String[n];
        String[] methods = new String[n];
        int[] positions = new int[n];
        for (int i = 0; i < n; i++) {
            StackWalker.StackFrame f = frames.get(i);
            classes[i] = f.getClassName();
            methods[i] = f.getMethodName();
            positions[i] = f.getByteCodeIndex();
        }
        return new RawStack(classes, methods, positions, frames, null);
    }

    /** A stack known only as elements (threads that existed before the agent; tests). */
    public static RawStack of(StackTraceElement[] elements) {
        int n = elements.length;
        String[] classes = new String[n];
        String[] methods = new String[n];
        int[] positions = new int[n];
        for (int i = 0; i < n; i++) {
            classes[i] = elements[i].getClassName();
            methods[i] = elements[i].getMethodName();
            positions[i] = elements[i].getLineNumber();
        }
        return new RawStack(classes, methods, positions, null, elements.clone());
    }

    /** A captured stack, comparable without resolving line numbers. */
    public static final class RawStack {
        private final String[] classes;
        private final String[] methods;
        private final int[] positions;
        private final List<StackWalker.StackFrame> frames;
        private final StackTraceElement[] elements;
        private final int hash;

        private RawStack(String[] classes, String[] methods, int[] positions,
                         List<StackWalker.StackFrame> frames, StackTraceElement[] elements) {
            this.classes = classes;
            this.methods = methods;
            this.positions = positions;
            this.frames = frames;
            this.elements = elements;
            int h = 1;
            for (int i = 0; i < classes.length; i++) {
                h = 31 * (31 * (31 * h + classes[i].hashCode()) + methods[i].hashCode()) + positions[i];
            }
            this.hash = h;
        }

        String[] classes() {
            return classes;
        }

        int length() {
            return classes.length;
        }

        /** The first {@code end} frames, as a key that holds strings only. */
        RawStack head(int end) {
            if (end >= classes.length && frames == null) {
                return this;
            }
            int n = Math.min(end, classes.length);
            return new RawStack(Arrays.copyOf(classes, n), Arrays.copyOf(methods, n), Arrays.copyOf(positions, n),
                    null, new StackTraceElement[0]);
        }

        /** Whether walked frames are these frames (class, method, bytecode index), without allocating. */
        boolean sameFrames(List<StackWalker.StackFrame> walked) {
            if (walked.size() != classes.length) {
                return false;
            }
            for (int i = 0; i < classes.length; i++) {
                StackWalker.StackFrame f = walked.get(i);
                if (positions[i] != f.getByteCodeIndex() || !classes[i].equals(f.getClassName())
                        || !methods[i].equals(f.getMethodName())) {
                    return false;
                }
            }
            return true;
        }

        /** Resolves file names and line numbers: done once per distinct stack. */
        StackTraceElement[] resolve() {
            if (elements != null) {
                return elements;
            }
            StackTraceElement[] out = new StackTraceElement[frames.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = frames.get(i).toStackTraceElement();
            }
            return out;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            if (!(o instanceof RawStack)) {
                return false;
            }
            RawStack other = (RawStack) o;
            return hash == other.hash
                    && Arrays.equals(positions, other.positions)
                    && Arrays.equals(classes, other.classes)
                    && Arrays.equals(methods, other.methods);
        }
    }
}
