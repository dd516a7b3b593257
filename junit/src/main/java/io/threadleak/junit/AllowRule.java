package io.threadleak.junit;

import io.threadleak.api.Leftover;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One allow rule, in the format of the agent's suppression rules ({@code docs/rules.md}):
 * {@code thread=cache-* created=com.acme.Cache.start current=... rule=SCOPE_LEAK reason="why"}. {@code thread} is a
 * glob of the thread's name (or of any worker's name, or the executor's name), {@code created} a glob of any frame
 * {@code class.method} of the creation stack, {@code current} a glob of any frame of the current stack. A reason is
 * required, and at least one of {@code thread}, {@code created}, {@code current}. {@code rule}, when given, must name
 * {@code SCOPE_LEAK}: a rules file shared with the agent may hold rules for other rules, which do not apply here.
 */
final class AllowRule {

    private static final List<String> KEYS = List.of("rule", "thread", "created", "current", "reason");

    private final String text;
    private final Pattern thread;
    private final Pattern created;
    private final Pattern current;
    private final boolean applies;

    private AllowRule(String text, Pattern thread, Pattern created, Pattern current, boolean applies) {
        this.text = text;
        this.thread = thread;
        this.created = created;
        this.current = current;
        this.applies = applies;
    }

    /** Parses one rule; throws {@link IllegalArgumentException} naming what is wrong. */
    static AllowRule parse(String line) {
        Map<String, String> kv = new LinkedHashMap<>();
        String s = line.strip();
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= s.length()) {
                break;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                throw new IllegalArgumentException("expected key=value at '" + s.substring(i) + "'");
            }
            String key = s.substring(i, eq).strip();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key '" + key + "' (valid: " + String.join(", ", KEYS)
                        + ")");
            }
            i = eq + 1;
            String value;
            if (i < s.length() && s.charAt(i) == '"') {
                int end = s.indexOf('"', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed quote in '" + key + "'");
                }
                value = s.substring(i + 1, end);
                i = end + 1;
            } else {
                int end = i;
                while (end < s.length() && !Character.isWhitespace(s.charAt(end))) {
                    end++;
                }
                value = s.substring(i, end);
                i = end;
            }
            if (kv.put(key, value) != null) {
                throw new IllegalArgumentException("key '" + key + "' given twice");
            }
        }
        String reason = kv.get("reason");
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a reason is required (reason=\"why this may outlive the test\")");
        }
        if (!kv.containsKey("thread") && !kv.containsKey("created") && !kv.containsKey("current")) {
            throw new IllegalArgumentException("give at least one of thread=, created=, current=");
        }
        boolean applies = true;
        if (kv.containsKey("rule")) {
            applies = false;
            for (String r : kv.get("rule").split(",")) {
                applies |= r.strip().toUpperCase(Locale.ROOT).equals("SCOPE_LEAK");
            }
        }
        return new AllowRule(s, glob(kv.get("thread")), glob(kv.get("created")), glob(kv.get("current")), applies);
    }

    /** Parses rules separated by {@code ;} or new lines (outside quotes); {@code #} starts a comment line. */
    static List<AllowRule> parseAll(String text) {
        List<AllowRule> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '\n';
            if (c == '"') {
                quoted = !quoted;
            }
            if (!quoted && (c == ';' || c == '\n')) {
                String line = cur.toString().strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    out.add(parse(line));
                }
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        return out;
    }

    private static Pattern glob(String g) {
        if (g == null) {
            return null;
        }
        StringBuilder re = new StringBuilder();
        for (char c : g.toCharArray()) {
            if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    /** Whether the rule allows this leftover. */
    boolean allows(Leftover l) {
        if (!applies) {
            return false;
        }
        if (thread != null && !thread.matcher(l.name()).matches()
                && l.threads().stream().noneMatch(t -> thread.matcher(t.getName()).matches())) {
            return false;
        }
        if (created != null && !anyFrame(created, l.creationStack())) {
            return false;
        }
        return current == null || anyFrame(current, l.currentStack());
    }

    private static boolean anyFrame(Pattern p, List<StackTraceElement> frames) {
        for (StackTraceElement f : frames) {
            if (p.matcher(f.getClassName() + "." + f.getMethodName()).matches()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }
}
