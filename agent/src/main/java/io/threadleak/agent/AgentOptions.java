package io.threadleak.agent;

import io.threadleak.core.Config;
import io.threadleak.core.StackMode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The agent's options: {@code key=value} pairs separated by commas in the agent argument, or the same keys as
 * system properties {@code threadleak.<key>} (the agent argument wins). Lists inside one value are separated
 * by {@code ;}. A bad key or value never stops the host: it yields one line in {@link #problems()} naming the
 * key and what was expected, and the default is used for that key.
 */
public final class AgentOptions {

    /** Report interval (duration). Default {@code 60s}. */
    public static final String INTERVAL = "interval";
    /** Sampling period (duration). Default {@code 5s}. */
    public static final String SAMPLE = "sample";
    /** How long a thread must wait unchanged to be STUCK (duration). Default {@code 60s}. */
    public static final String STUCK_AFTER = "stuckAfter";
    /** Consecutive rising samples for GROWING (1..1000). Default {@code 3}. */
    public static final String GROWTH_SAMPLES = "growthSamples";
    /** Live count a site must exceed for GROWING (0..1000000). Default {@code 4}. */
    public static final String GROWTH_FLOOR = "growthFloor";
    /** How long after main returned non-daemon threads are EXIT_BLOCKED (duration). Default {@code 10s}. */
    public static final String EXIT_AFTER = "exitAfter";
    /** File the JSON report is written to. Default: none. */
    public static final String JSON = "json";
    /** File the HTML report is written to (one self-contained page, see docs/html-report.md). Default: none. */
    public static final String HTML = "html";
    /** Creation sites with metric series of their own (0..1000), the rest folded into one {@code other} (see
     *  docs/metrics.md). Default {@code 10}. */
    public static final String METRIC_SITES = "metricSites";
    /** Application package prefixes, {@code ;}-separated. Default: the main class's package. */
    public static final String APP = "app";
    /** Library package prefixes never blamed, {@code ;}-separated. Default: none. */
    public static final String EXCLUDE = "exclude";
    /** Regular expressions of thread names that are never suspects, {@code ;}-separated. Default: none. */
    public static final String IGNORE_THREADS = "ignoreThreads";
    /** File of suppression rules, one per line ({@code rule= thread= created= current= reason=}; see
     *  docs/rules.md). A bad rule prints one line and is skipped. Default: none. */
    public static final String SUPPRESS = "suppress";
    /** How creation stacks are captured: {@code threads}, {@code all} (also every task's submit site) or
     *  {@code none}. Default {@code threads}. */
    public static final String STACKS = "stacks";
    /** Frames kept of a creation stack (1..1024). Default {@code 32}. */
    public static final String STACK_DEPTH = "stackDepth";
    /** Example threads per suspect (0..100). Default {@code 3}. */
    public static final String EXEMPLARS = "exemplars";
    /** Level of the {@code threadleak} logger: off, error, warn, info, debug, trace. Default {@code info}. */
    public static final String LOG = "log";
    /** How long a task may run on after it or its parent was cancelled (duration). Default {@code 30s}. */
    public static final String CANCEL_AFTER = "cancelAfter";
    /** {@code off}, or how long a {@code STUCK} or {@code DEADLOCK} suspect must hold before the agent proves it once
     *  with a heap dump analysed in a separate JVM ({@code java -jar threadleak-agent.jar prove <pid>}; the dump
     *  pauses this JVM: docs/proven.md). Default {@code off}. */
    public static final String PROVE = "prove";
    /** How long threads created in a closed scope ({@code ThreadLeakScope}) may live on before they are
     *  {@code SCOPE_LEAK} (duration). Default {@code 1s}. */
    public static final String SCOPE_LINGER = "scopeLinger";
    /** {@code true}: a hook that cannot be placed (or task state that cannot be read) stops the agent's start with
     *  one line, and {@code -javaagent} stops the JVM (for this project's own CI; never in production). Default
     *  {@code false}: the agent starts with the hooks it could place and names the others. */
    public static final String STRICT = "strict";
    /** Testing only: {@code hooks} makes every hook call throw, to prove the host does not notice. */
    public static final String FAULT_INJECT = "faultInject";

    /** Every valid key, in documentation order. */
    public static final List<String> KEYS = List.of(INTERVAL, SAMPLE, STUCK_AFTER, GROWTH_SAMPLES, GROWTH_FLOOR,
            EXIT_AFTER, CANCEL_AFTER, PROVE, SCOPE_LINGER, JSON, HTML, METRIC_SITES, APP, EXCLUDE, IGNORE_THREADS,
            SUPPRESS, STACKS, STACK_DEPTH, EXEMPLARS, LOG, STRICT, FAULT_INJECT);

    private static final Duration MAX_DURATION = Duration.ofHours(10_000);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");
    private static final List<String> LEVELS = List.of("off", "error", "warn", "info", "debug", "trace");

    private final Config config;
    private final String logLevel;
    private final boolean faultInjection;
    private final boolean strict;
    private final boolean appGiven;
    private final Duration prove;
    private final List<String> problems;

    private AgentOptions(Config config, String logLevel, boolean faultInjection, boolean strict, boolean appGiven,
                         Duration prove, List<String> problems) {
        this.config = config;
        this.prove = prove;
        this.logLevel = logLevel;
        this.faultInjection = faultInjection;
        this.strict = strict;
        this.appGiven = appGiven;
        this.problems = List.copyOf(problems);
    }

    /** Parses the agent argument (may be {@code null}) over the {@code threadleak.*} system properties. */
    public static AgentOptions parse(String agentArgs, Properties systemProperties) {
        List<String> problems = new ArrayList<>();
        Map<String, String> raw = new LinkedHashMap<>();
        for (String key : KEYS) {
            String v = systemProperties.getProperty("threadleak." + key);
            if (v != null) {
                raw.put(key, v.trim());
            }
        }
        if (agentArgs != null && !agentArgs.isBlank()) {
            for (String pair : agentArgs.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = (eq < 0 ? pair : pair.substring(0, eq)).trim();
                if (!KEYS.contains(key)) {
                    problems.add("unknown option '" + key + "' (valid: " + String.join(", ", KEYS) + "); ignored");
                } else if (eq < 0) {
                    problems.add("option '" + key + "' needs a value, as in " + key + "=...; using the default");
                } else {
                    raw.put(key, pair.substring(eq + 1).trim());
                }
            }
        }
        return new Parser(raw, problems).build();
    }

    public Config config() {
        return config;
    }

    /** The level of the {@code threadleak} logger. */
    public String logLevel() {
        return logLevel;
    }

    public boolean faultInjection() {
        return faultInjection;
    }

    /** Whether a hook that cannot be placed stops the agent ({@link #STRICT}). */
    public boolean strict() {
        return strict;
    }

    /** Whether {@code app} was given (otherwise the agent guesses it from the main class). */
    public boolean appGiven() {
        return appGiven;
    }

    /** How long a STUCK or DEADLOCK suspect must hold before it is proven ({@link #PROVE}), or {@code null}: off. */
    public Duration prove() {
        return prove;
    }

    /** One line per bad key or value; empty when all is well. */
    public List<String> problems() {
        return problems;
    }

    /** Reads each key with its default, collecting problems. */
    private static final class Parser {
        private final Map<String, String> raw;
        private final List<String> problems;
        private final Config d = Config.defaults();

        Parser(Map<String, String> raw, List<String> problems) {
            this.raw = raw;
            this.problems = problems;
        }

        AgentOptions build() {
            Config c = new Config(
                    duration(INTERVAL, d.interval()),
                    duration(SAMPLE, d.sample()),
                    duration(STUCK_AFTER, d.stuckAfter()),
                    integer(GROWTH_SAMPLES, d.growthSamples(), 1, 1000),
                    integer(GROWTH_FLOOR, d.growthFloor(), 0, 1_000_000),
                    duration(EXIT_AFTER, d.exitAfter()),
                    path(JSON),
                    list(APP),
                    list(EXCLUDE),
                    patterns(IGNORE_THREADS),
                    stacks(),
                    integer(STACK_DEPTH, d.stackDepth(), 1, 1024),
                    integer(EXEMPLARS, d.exemplars(), 0, 100),
                    duration(CANCEL_AFTER, d.cancelAfter()),
                    path(SUPPRESS),
                    path(HTML),
                    integer(METRIC_SITES, d.metricSites(), 0, 1000),
                    duration(SCOPE_LINGER, d.scopeLinger()));
            String level = choice(LOG, "info", LEVELS);
            String fault = choice(FAULT_INJECT, "none", List.of("none", "hooks"));
            boolean strict = choice(STRICT, "false", List.of("false", "true")).equals("true");
            return new AgentOptions(c, level, fault.equals("hooks"), strict, raw.containsKey(APP), prove(), problems);
        }

        /** {@code off} (null) or a duration. */
        private Duration prove() {
            String v = raw.get(PROVE);
            if (v == null || v.equalsIgnoreCase("off")) {
                return null;
            }
            Matcher m = DURATION.matcher(v);
            if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
                bad(PROVE, "off or a positive duration like 30s, 2m or 1h", v, "off");
                return null;
            }
            return duration(PROVE, null);
        }

        private void bad(String key, String expected, String value, Object fallback) {
            problems.add("option '" + key + "': expected " + expected + ", got '" + value + "'; using the default"
                    + (fallback == null ? "" : " " + fallback));
        }

        private Duration duration(String key, Duration def) {
            String v = raw.get(key);
            if (v == null) {
                return def;
            }
            Matcher m = DURATION.matcher(v);
            if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
                bad(key, "a positive duration like 500ms, 30s, 2m or 1h", v, def == null ? "off" : format(def));
                return def;
            }
            long n = Long.parseLong(m.group(1));
            Duration d;
            switch (m.group(2)) {
                case "ms":
                    d = Duration.ofMillis(n);
                    break;
                case "s":
                    d = Duration.ofSeconds(n);
                    break;
                case "m":
                    d = Duration.ofMinutes(n);
                    break;
                default:
                    d = Duration.ofHours(n);
            }
            if (d.compareTo(MAX_DURATION) > 0) {
                bad(key, "a positive duration of at most 10000h, like 500ms, 30s, 2m or 1h", v, def == null ? "off" : format(def));
                return def;
            }
            return d;
        }

        private int integer(String key, int def, int min, int max) {
            String v = raw.get(key);
            if (v == null) {
                return def;
            }
            try {
                int n = Integer.parseInt(v);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            bad(key, "a whole number from " + min + " to " + max, v, def);
            return def;
        }

        private Path path(String key) {
            String v = raw.get(key);
            if (v == null) {
                return null;
            }
            try {
                if (!v.isEmpty()) {
                    return Path.of(v);
                }
            } catch (InvalidPathException e) {
                // reported below
            }
            bad(key, "a file path", v, key.equals(JSON) ? "(no JSON report)"
                    : key.equals(HTML) ? "(no HTML report)" : "(none)");
            return null;
        }

        private List<String> list(String key) {
            String v = raw.get(key);
            if (v == null) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (String p : v.split(";")) {
                String s = p.trim();
                if (s.isEmpty()) {
                    continue;
                }
                if (!s.matches("[\\p{javaJavaIdentifierPart}.$]+")) {
                    bad(key, "package prefixes separated by ';' like com.acme;org.example", v, "(none)");
                    return List.of();
                }
                out.add(s);
            }
            return out;
        }

        private List<Pattern> patterns(String key) {
            String v = raw.get(key);
            if (v == null) {
                return List.of();
            }
            List<Pattern> out = new ArrayList<>();
            for (String p : v.split(";")) {
                if (p.isBlank()) {
                    continue;
                }
                try {
                    out.add(Pattern.compile(p.trim()));
                } catch (PatternSyntaxException e) {
                    bad(key, "regular expressions separated by ';' (" + e.getDescription() + ")", v, "(none)");
                    return List.of();
                }
            }
            return out;
        }

        private StackMode stacks() {
            String v = choice(STACKS, "threads", List.of("threads", "all", "none"));
            return v.equals("none") ? StackMode.NONE : v.equals("all") ? StackMode.ALL : StackMode.THREADS;
        }

        private String choice(String key, String def, List<String> allowed) {
            String v = raw.get(key);
            if (v == null) {
                return def;
            }
            String lower = v.toLowerCase(Locale.ROOT);
            if (allowed.contains(lower)) {
                return lower;
            }
            bad(key, "one of " + String.join(", ", allowed), v, def);
            return def;
        }
    }

    /** {@code 60s}, {@code 500ms}: the option syntax. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    @Override
    public String toString() {
        return "interval=" + format(config.interval()) + ", sample=" + format(config.sample()) + ", stuckAfter="
                + format(config.stuckAfter()) + ", growthSamples=" + config.growthSamples() + ", growthFloor="
                + config.growthFloor() + ", exitAfter=" + format(config.exitAfter())
                + ", cancelAfter=" + format(config.cancelAfter())
                + (prove == null ? "" : ", prove=" + format(prove))
                + ", scopeLinger=" + format(config.scopeLinger())
                + (config.json() == null ? "" : ", json=" + config.json())
                + (config.html() == null ? "" : ", html=" + config.html())
                + (config.metricSites() == Config.METRIC_SITES ? "" : ", metricSites=" + config.metricSites())
                + (config.app().isEmpty() ? "" : ", app=" + String.join(";", config.app()))
                + (config.exclude().isEmpty() ? "" : ", exclude=" + String.join(";", config.exclude()))
                + (config.suppress() == null ? "" : ", suppress=" + config.suppress())
                + ", stacks=" + config.stacks().name().toLowerCase(Locale.ROOT) + ", stackDepth=" + config.stackDepth()
                + (strict ? ", strict=true" : "");
    }
}
