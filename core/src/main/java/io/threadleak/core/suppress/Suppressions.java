package io.threadleak.core.suppress;

import io.threadleak.core.Config;
import io.threadleak.core.report.Report;
import io.threadleak.core.rules.Suspect;
import io.threadleak.core.site.FramePolicy;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Silences findings in layers, and keeps every silenced finding visible. The first rule that matches a finding
 * silences it, in this order: the {@code ignoreThreads} option, the user's {@code suppress=} file, what libraries
 * ship ({@link ProvidedSuppressions}, loaded at the first sample on the sampler thread), and the built-in knowledge
 * of JDK and library threads ({@link BuiltInSuppressions}, idle threads only). A silenced finding leaves the
 * suspects but stays in the report's {@code suppressed} list with the rule and reason that silenced it; at
 * shutdown the user's rules that never matched are listed.
 *
 * <p>Sampler thread (and the shutdown hook, under the monitor's lock) only.
 */
public final class Suppressions {

    /** The reason given for findings silenced by {@code ignoreThreads}. */
    public static final String IGNORE_THREADS_REASON = "ignoreThreads option";

    private final FramePolicy policy;
    private final List<SuppressionRule> user = new ArrayList<>();
    private final List<SuppressionRule> builtIn = BuiltInSuppressions.rules();
    private final List<SuppressionRule> provided = new ArrayList<>();
    private final Map<SuppressionRule, Integer> matches = new IdentityHashMap<>();
    private final WeakReference<Thread> main;
    private final Consumer<String> problems;
    private boolean providersLoaded;
    private List<Report.Suppressed> current = List.of();

    /**
     * Reads the {@code suppress} file now (a bad rule prints one line to {@code problems}; the good ones count).
     *
     * @param main the application's main thread (its context class loader finds library rules), or {@code null}
     */
    public Suppressions(Config config, FramePolicy policy, Thread main, Consumer<String> problems) {
        this.policy = policy;
        this.main = new WeakReference<>(main);
        this.problems = problems;
        for (Pattern p : config.ignoreThreads()) {
            user.add(new SuppressionRule("option ignoreThreads", "ignoreThreads=" + p.pattern(), Set.of(), p, null,
                    null, IGNORE_THREADS_REASON, false, true));
        }
        Path file = config.suppress();
        if (file != null) {
            try {
                SuppressionParser parser = new SuppressionParser().parse(file.toString(),
                        Files.readAllLines(file, StandardCharsets.UTF_8), true);
                user.addAll(parser.rules());
                parser.problems().forEach(problems);
            } catch (IOException | RuntimeException e) {
                problems.accept("suppression file " + file + " cannot be read (" + e + "); no user suppressions");
            }
        }
    }

    /** Standard error, as the agent's option problems. */
    public Suppressions(Config config, FramePolicy policy, Thread main) {
        this(config, policy, main, p -> System.err.println("threadleak: " + p));
    }

    /** The findings not silenced; remembers the silenced ones for the report. */
    public List<Suspect> apply(List<Suspect> suspects) {
        loadProviders();
        List<Suspect> kept = new ArrayList<>();
        List<Report.Suppressed> silenced = new ArrayList<>();
        for (Suspect s : suspects) {
            SuppressionRule r = match(s);
            if (r == null) {
                kept.add(s);
            } else {
                matches.merge(r, 1, Integer::sum);
                silenced.add(new Report.Suppressed(s, r.source(), r.text(), r.reason()));
            }
        }
        current = List.copyOf(silenced);
        return kept;
    }

    private SuppressionRule match(Suspect s) {
        for (List<SuppressionRule> layer : List.of(user, provided, builtIn)) {
            for (SuppressionRule r : layer) {
                if (r.matches(s, policy)) {
                    return r;
                }
            }
        }
        return null;
    }

    /** The findings silenced in the latest round. */
    public List<Report.Suppressed> suppressed() {
        return current;
    }

    /** The user's rules (file and {@code ignoreThreads}) that never silenced anything: "source: rule". */
    public List<String> unused() {
        List<String> out = new ArrayList<>();
        for (SuppressionRule r : user) {
            if (!matches.containsKey(r)) {
                out.add(r.source() + ": " + r.text());
            }
        }
        return out;
    }

    /** The report with the silenced findings and, in the final one, the rules that never matched. */
    public Report attach(Report report) {
        return report.withSuppressed(current, report.last() ? unused() : List.of());
    }

    private void loadProviders() {
        if (providersLoaded) {
            return;
        }
        providersLoaded = true;
        try {
            List<ClassLoader> loaders = new ArrayList<>();
            loaders.add(ClassLoader.getSystemClassLoader());
            Thread m = main.get();
            if (m != null) {
                loaders.add(m.getContextClassLoader());
            }
            SuppressionParser parser = new SuppressionParser();
            List<String> failures = new ArrayList<>();
            ProvidedSuppressions.load(loaders, parser, failures);
            provided.addAll(parser.rules());
            parser.problems().forEach(problems);
            failures.forEach(problems);
        } catch (Throwable e) {
            problems.accept("suppressions of libraries could not be loaded: " + e);
        }
    }
}
