package io.threadleak.junit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of one check, resolved from (lowest first) the defaults, the configuration parameters, a builder, the
 * class's annotation and the method's annotation. Allow rules add up; every other setting is overridden.
 */
final class Options {

    /** Configuration parameter: {@code test} (default) or {@code class}. */
    static final String SCOPE = "threadleak.junit.scope";
    /** Configuration parameter: the settle time, {@code 500ms}, {@code 1s}, {@code 2m}. Default {@code 1s}. */
    static final String SETTLE = "threadleak.junit.settle";
    /** Configuration parameter: allow rules, separated by {@code ;}. */
    static final String ALLOW = "threadleak.junit.allow";
    /** Configuration parameter: {@code false} switches the check off (for auto-detection). Default {@code true}. */
    static final String ENABLED = "threadleak.junit.enabled";
    static final Duration DEFAULT_SETTLE = Duration.ofSeconds(1);

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m)");

    final boolean perClass;
    final Duration settle;
    final List<AllowRule> allow;
    final boolean expectLeak;
    final boolean enabled;

    Options(boolean perClass, Duration settle, List<AllowRule> allow, boolean expectLeak, boolean enabled) {
        this.perClass = perClass;
        this.settle = settle;
        this.allow = List.copyOf(allow);
        this.expectLeak = expectLeak;
        this.enabled = enabled;
    }

    /** What a builder sets; {@code null} fields are unset. */
    static final class Given {
        ThreadLeakCheck.Scope scope;
        Duration settle;
        final List<String> allow = new ArrayList<>();
        boolean expectLeak;
    }

    /**
     * @param config   reads a configuration parameter
     * @param builders what {@code @RegisterExtension} builders gave, in registration order
     * @param onClass  the annotation found on the test class (or an enclosing or super class), or {@code null}
     * @param onMethod the annotation on the test method, or {@code null} (for a class-level check)
     */
    static Options resolve(Function<String, Optional<String>> config, List<Given> builders, ThreadLeakCheck onClass,
                           ThreadLeakCheck onMethod) {
        boolean enabled = !config.apply(ENABLED).map(v -> v.strip().equalsIgnoreCase("false")).orElse(false);
        boolean perClass = config.apply(SCOPE).map(v -> {
            String s = v.strip().toLowerCase(Locale.ROOT);
            if (!s.equals("test") && !s.equals("class")) {
                throw new IllegalArgumentException(SCOPE + ": expected test or class, got '" + v + "'");
            }
            return s.equals("class");
        }).orElse(false);
        Duration settle = config.apply(SETTLE).map(v -> duration(SETTLE, v)).orElse(DEFAULT_SETTLE);
        List<AllowRule> allow = new ArrayList<>(config.apply(ALLOW).map(AllowRule::parseAll).orElse(List.of()));
        boolean expectLeak = false;
        for (Given g : builders) {
            if (g.scope != null && g.scope != ThreadLeakCheck.Scope.DEFAULT) {
                perClass = g.scope == ThreadLeakCheck.Scope.CLASS;
            }
            if (g.settle != null) {
                settle = g.settle;
            }
            for (String a : g.allow) {
                allow.addAll(AllowRule.parseAll(a));
            }
            expectLeak |= g.expectLeak;
        }
        for (ThreadLeakCheck a : new ThreadLeakCheck[] {onClass, onMethod}) {
            if (a == null) {
                continue;
            }
            if (a == onClass && a.scope() != ThreadLeakCheck.Scope.DEFAULT) {
                perClass = a.scope() == ThreadLeakCheck.Scope.CLASS;
            }
            if (!a.settle().isBlank()) {
                settle = duration("settle", a.settle());
            }
            for (String rule : a.allow()) {
                allow.addAll(AllowRule.parseAll(rule));
            }
            if (a == onMethod || onMethod == null) {
                expectLeak |= a.expectLeak();
            }
        }
        if (onMethod != null && !onMethod.expectLeak() && onClass != null && onClass.expectLeak()) {
            expectLeak = true; // the class says every test leaks; a method annotation without it does not undo that
        }
        return new Options(perClass, settle, allow, expectLeak, enabled);
    }

    static Duration duration(String what, String v) {
        Matcher m = DURATION.matcher(v.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(what + ": expected a duration like 500ms, 1s or 2m, got '" + v + "'");
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms":
                return Duration.ofMillis(n);
            case "s":
                return Duration.ofSeconds(n);
            default:
                return Duration.ofMinutes(n);
        }
    }
}
