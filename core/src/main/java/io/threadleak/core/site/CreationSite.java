package io.threadleak.core.site;

import java.util.concurrent.atomic.LongAdder;

/**
 * One place in the code where threads are created: the interned creation stack and the frame it blames.
 *
 * <p>All threads started from the same stack share one instance, so a site costs its stack once however
 * many threads it creates. When the stack holds no application frame (a library's own thread started
 * another one), the site borrows the blame of the creating thread's site: its {@link #parent()}.
 */
public final class CreationSite {

    private final String id;
    private final StackTraceElement[] frames;
    private final int blameIndex;
    private final CreationSite parent;
    private final int fallbackIndex;
    private final LongAdder started = new LongAdder();
    private final LongAdder ended = new LongAdder();

    CreationSite(String id, StackTraceElement[] frames, int blameIndex, CreationSite parent, int fallbackIndex) {
        this.id = id;
        this.frames = frames;
        this.blameIndex = blameIndex;
        this.parent = parent;
        this.fallbackIndex = fallbackIndex;
    }

    /** A short identifier, stable for the life of the JVM. */
    public String id() {
        return id;
    }

    /** The creation stack, innermost frame (the thread start) first. Do not modify. */
    public StackTraceElement[] frames() {
        return frames;
    }

    /** Index in {@link #frames()} of this site's own blame frame, or -1 when the blame is inherited or absent. */
    public int blameIndex() {
        return blameIndex >= 0 ? blameIndex : parent == null ? fallbackIndex : -1;
    }

    /** The site of the thread that created threads here, when this site's blame is borrowed from it. */
    public CreationSite parent() {
        return blameIndex >= 0 ? null : parent;
    }

    /** The frame a user must change, or {@code null} when only JDK code is involved. */
    public StackTraceElement blameFrame() {
        if (blameIndex >= 0) {
            return frames[blameIndex];
        }
        if (parent != null) {
            return parent.blameFrame();
        }
        return fallbackIndex >= 0 ? frames[fallbackIndex] : null;
    }

    /** Whether the blame frame is application code (and not a fallback to the first library frame). */
    public boolean blamesApplication() {
        return blameIndex >= 0 || (parent != null && parent.blamesApplication());
    }

    /** Created by JDK code alone (a JDK housekeeping thread): never a suspect. */
    public boolean jdkInternal() {
        return blameFrame() == null;
    }

    /** The blame frame as {@code class.method(File.java:line)}, or {@code "<jdk>"}. */
    public String blame() {
        StackTraceElement f = blameFrame();
        return f == null ? "<jdk>" : format(f);
    }

    /** Threads started here so far. */
    public long started() {
        return started.sum();
    }

    /** Threads started here that have ended. */
    public long ended() {
        return ended.sum();
    }

    /** Counts a thread started here. */
    public void onStart() {
        started.increment();
    }

    /** Counts a thread started here that ended; called by the registry only. */
    public void onEndInternal() {
        ended.increment();
    }

    /** {@code class.method(File.java:line)}: the form used in reports and JSON. */
    public static String format(StackTraceElement f) {
        String file = f.getFileName();
        String where;
        if (f.isNativeMethod()) {
            where = "Native Method";
        } else if (file == null) {
            where = "Unknown Source";
        } else {
            where = f.getLineNumber() >= 0 ? file + ":" + f.getLineNumber() : file;
        }
        return f.getClassName() + "." + f.getMethodName() + "(" + where + ")";
    }

    @Override
    public String toString() {
        return "site " + id + " " + blame();
    }
}
