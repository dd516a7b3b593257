package io.threadleak.core.site;

import java.util.List;

/**
 * Decides which stack frames belong to the application, and so which frame is blamed.
 *
 * <p>A frame is never blamed when its class belongs to the JDK, to the agent itself, or to an excluded
 * library package. When application packages are known, only frames in those packages are blamed;
 * libraries shaded into the application's jar live in other packages and are skipped. When none are
 * known, the first frame that is not JDK, agent or excluded is blamed.
 */
public final class FramePolicy {

    private static final String[] JDK = {
        "java.", "javax.", "jdk.", "sun.", "com.sun.", "org.ietf.jgss.", "org.w3c.dom.", "org.xml.sax.",
    };
    private static final String[] AGENT = {
        "io.threadleak.core.", "io.threadleak.agent.", "io.threadleak.bootstrap.", "io.threadleak.shaded.",
    };

    private final String[] app;
    private final String[] exclude;

    public FramePolicy(List<String> app, List<String> exclude) {
        this.app = normalise(app);
        this.exclude = normalise(exclude);
    }

    private static String[] normalise(List<String> prefixes) {
        return prefixes.stream()
                .map(String::trim)
                .filter(p -> !p.isEmpty())
                .map(p -> p.endsWith(".") || p.endsWith("$") ? p : p + ".")
                .toArray(String[]::new);
    }

    /** Whether application packages are configured or detected. */
    public boolean knowsApp() {
        return app.length > 0;
    }

    /** A JDK class. */
    public static boolean isJdk(String className) {
        return startsWithAny(className, JDK);
    }

    /** One of the agent's own classes. */
    public static boolean isAgent(String className) {
        return startsWithAny(className, AGENT);
    }

    /** A class that may be blamed: application code (or, with no app packages known, any non-library code). */
    public boolean isBlameable(String className) {
        if (isJdk(className) || isAgent(className) || startsWithAny(className, exclude)) {
            return false;
        }
        return app.length == 0 || startsWithAny(className, app);
    }

    /** A class that is neither JDK nor agent nor excluded: a fallback blame when no app frame exists anywhere. */
    public boolean isNonJdk(String className) {
        return !isJdk(className) && !isAgent(className) && !startsWithAny(className, exclude);
    }

    /** Index of the first blameable frame, or -1. */
    public int blameIndex(StackTraceElement[] frames) {
        for (int i = 0; i < frames.length; i++) {
            if (isBlameable(frames[i].getClassName())) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the first blameable class name, or -1. */
    public int blameIndex(String[] classNames) {
        for (int i = 0; i < classNames.length; i++) {
            if (isBlameable(classNames[i])) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the first frame that is not JDK, agent or excluded, or -1. */
    public int fallbackIndex(StackTraceElement[] frames) {
        for (int i = 0; i < frames.length; i++) {
            if (isNonJdk(frames[i].getClassName())) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWithAny(String s, String[] prefixes) {
        for (String p : prefixes) {
            if (s.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
