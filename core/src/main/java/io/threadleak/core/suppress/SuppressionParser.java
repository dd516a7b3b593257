package io.threadleak.core.suppress;

import io.threadleak.core.rules.RuleName;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses suppression rules, one per line:
 * <pre>
 * # comment
 * rule=STUCK thread=grpc-default-executor-* current=io.grpc.internal.SerializingExecutor.run reason="gRPC's idle executor"
 * rule=GROWING,EXIT_BLOCKED created=com.acme.legacy.Poller.start reason="JIRA-123: fixed in 2.0"
 * </pre>
 * Keys: {@code rule} (rule names, comma-separated; any when absent), {@code thread} (thread name glob),
 * {@code created} (glob of a creation-stack frame {@code class.method}), {@code current} (glob of a frame the
 * thread runs), and {@code reason} (required). At least one of {@code rule}, {@code thread}, {@code created},
 * {@code current}. Values with spaces go in double quotes. A bad line yields one problem naming the line and what
 * is wrong; the other lines still count.
 */
public final class SuppressionParser {

    /** The keys of a rule line. */
    public static final List<String> KEYS = List.of("rule", "thread", "created", "current", "reason");

    private final List<SuppressionRule> rules = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    /** Parses the lines of one source ({@code name} prefixes each rule's source, e.g. the file name). */
    public SuppressionParser parse(String name, List<String> lines, boolean user) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String source = name + ":" + (i + 1);
            try {
                rules.add(rule(source, line, user));
            } catch (IllegalArgumentException e) {
                problems.add("suppression " + source + ": " + e.getMessage() + "; rule ignored");
            }
        }
        return this;
    }

    /** The good rules, in order. */
    public List<SuppressionRule> rules() {
        return List.copyOf(rules);
    }

    /** One line per bad rule. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    static SuppressionRule rule(String source, String line, boolean user) {
        Map<String, String> kv = tokens(line);
        for (String key : kv.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key '" + key + "' (valid: " + String.join(", ", KEYS) + ")");
            }
        }
        String reason = kv.get("reason");
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("no reason=\"...\": every suppression must say why");
        }
        if (!kv.containsKey("rule") && !kv.containsKey("thread") && !kv.containsKey("created")
                && !kv.containsKey("current")) {
            throw new IllegalArgumentException("nothing to match: give at least one of rule, thread, created, current");
        }
        Set<RuleName> names = EnumSet.noneOf(RuleName.class);
        if (kv.containsKey("rule")) {
            for (String r : kv.get("rule").split(",")) {
                try {
                    names.add(RuleName.valueOf(r.strip()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown rule '" + r.strip() + "' (valid: "
                            + String.join(", ", EnumSet.allOf(RuleName.class).stream().map(Enum::name).toList()) + ")");
                }
            }
        }
        return new SuppressionRule(source, line, names, glob(kv, "thread"), glob(kv, "created"), glob(kv, "current"),
                reason, false, user);
    }

    private static Pattern glob(Map<String, String> kv, String key) {
        String v = kv.get(key);
        if (v != null && v.isBlank()) {
            throw new IllegalArgumentException("empty " + key + "=");
        }
        return v == null ? null : SuppressionRule.glob(v);
    }

    /** {@code key=value} tokens separated by blanks; values may be double-quoted ({@code \"} inside quotes). */
    private static Map<String, String> tokens(String line) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int eq = line.indexOf('=', i);
            int space = indexOfBlank(line, i);
            if (eq < 0 || (space >= 0 && space < eq)) {
                String word = line.substring(i, space < 0 ? n : space);
                throw new IllegalArgumentException("expected key=value, got '" + word + "'");
            }
            String key = line.substring(i, eq);
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < n && line.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = line.charAt(i++);
                    if (c == '\\' && i < n) {
                        value.append(line.charAt(i++));
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        value.append(c);
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException("unterminated quote in " + key + "=");
                }
            } else {
                int end = indexOfBlank(line, i);
                value.append(line, i, end < 0 ? n : end);
                i = end < 0 ? n : end;
            }
            if (out.put(key, value.toString()) != null) {
                throw new IllegalArgumentException("'" + key + "' given twice");
            }
        }
        return out;
    }

    private static int indexOfBlank(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
