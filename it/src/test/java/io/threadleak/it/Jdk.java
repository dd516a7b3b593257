package io.threadleak.it;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * A JDK the forked JVMs run on: the one running the tests, plus extra java homes.
 *
 * <p>Extra JDKs come from the system property {@code threadleak.extraJdks} (comma-separated java homes; blank
 * disables them); without it, {@code /usr/lib/jvm/temurin-25-jdk-amd64}. An extra JDK that is not installed stays
 * in {@link #all()} as {@linkplain #available() unavailable} (feature 0), so that the tests meant for it show as
 * skipped ({@link ForkedJvm#on} assumes it is available) instead of silently disappearing.
 */
public record Jdk(Path home, int feature) {

    static final String EXTRA_JDKS = "threadleak.extraJdks";
    static final String DEFAULT_EXTRA = "/usr/lib/jvm/temurin-25-jdk-amd64";

    /** The {@code java} launcher of this JDK. */
    public Path java() {
        return home.resolve("bin").resolve("java");
    }

    /** Short label for test names, e.g. {@code jdk17}; {@code jdk-missing} for an extra JDK not installed. */
    public String label() {
        return available() ? "jdk" + feature : "jdk-missing";
    }

    /** Whether this JDK is installed (extra JDKs may not be). */
    public boolean available() {
        return feature > 0;
    }

    @Override
    public String toString() {
        return label() + " (" + home + ")";
    }

    /** The JDK running the tests. */
    public static Jdk current() {
        return new Jdk(Path.of(System.getProperty("java.home")).toAbsolutePath().normalize(),
                Runtime.version().feature());
    }

    /** The JDK running the tests, then every extra JDK that exists and differs from it. */
    public static List<Jdk> all() {
        Jdk current = current();
        List<Jdk> out = new ArrayList<>();
        out.add(current);
        String extra = System.getProperty(EXTRA_JDKS);
        if (extra == null) {
            extra = DEFAULT_EXTRA;
        }
        for (String entry : extra.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            Path home = Path.of(entry.trim()).toAbsolutePath().normalize();
            if (!Files.isExecutable(home.resolve("bin").resolve("java"))) {
                out.add(new Jdk(home, 0));
                continue;
            }
            if (sameFile(home, current.home()) || out.stream().anyMatch(j -> sameFile(j.home(), home))) {
                continue;
            }
            out.add(new Jdk(home, featureOf(home)));
        }
        return List.copyOf(out);
    }

    /** The first available JDK (the test JDK first) whose feature release is at least {@code feature}. */
    public static Optional<Jdk> atLeast(int feature) {
        return all().stream().filter(j -> j.available() && j.feature() >= feature).findFirst();
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.equals(b);
        }
    }

    /** Reads {@code JAVA_VERSION} from the JDK's {@code release} file ("17.0.15", "25", "1.8.0_402"). */
    static int featureOf(Path home) {
        Properties release = new Properties();
        try (Reader r = Files.newBufferedReader(home.resolve("release"))) {
            release.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the release file of " + home, e);
        }
        String v = release.getProperty("JAVA_VERSION", "").replace("\"", "").trim();
        if (v.startsWith("1.")) {
            v = v.substring(2);
        }
        String digits = v.split("[^0-9]", 2)[0];
        if (digits.isEmpty()) {
            throw new IllegalStateException("no JAVA_VERSION in " + home.resolve("release") + ": " + release);
        }
        return Integer.parseInt(digits);
    }
}
