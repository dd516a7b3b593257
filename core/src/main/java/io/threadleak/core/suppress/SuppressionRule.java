package io.threadleak.core.suppress;

import io.threadleak.core.rules.RuleName;
import io.threadleak.core.rules.Suspect;
import io.threadleak.core.sample.Activity;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.FramePolicy;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One suppression: which findings it silences and why. Every condition given must hold; a finding is matched when
 * its rule is one of {@code rules} (any when empty), every example thread's name matches {@code thread}, a frame of
 * its creation stack (or of the stack of the thread that created it, up the chain) matches {@code created}, and
 * every example thread's current stack has a frame matching {@code current}. Frames match as
 * {@code class.method} against a glob ({@code *} any characters).
 *
 * <p>An {@code idleOnly} rule (the built-in knowledge of JDK and library threads) holds only while all the example
 * threads are idle: waiting for work, sleeping, or running no application code. A common-pool worker stuck in
 * application code is reported whatever the built-in rules say.
 *
 * @param source   where the rule comes from: {@code suppress.txt:3}, {@code built-in}, {@code provider <class>}...
 * @param text     the rule as written, for reports
 * @param rules    the rules it silences, or empty for any
 * @param thread   thread name pattern, or {@code null}
 * @param created  creation frame pattern, or {@code null}
 * @param current  current frame pattern, or {@code null}
 * @param reason   why: shown with every finding it silences
 * @param idleOnly holds only while the threads are idle
 * @param user     a user's rule (file or option): listed at shutdown when it never matched
 */
public record SuppressionRule(String source, String text, Set<RuleName> rules, Pattern thread, Pattern created,
                              Pattern current, String reason, boolean idleOnly, boolean user) {

    public SuppressionRule {
        rules = Set.copyOf(rules);
    }

    /** A glob ({@code *} any characters, {@code ?} one) as a pattern over whole strings. */
    public static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
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

    /** Whether this rule silences the finding. */
    public boolean matches(Suspect s, FramePolicy policy) {
        if (!rules.isEmpty() && !rules.contains(s.rule())) {
            return false;
        }
        if ((thread != null || current != null || idleOnly) && s.exemplars().isEmpty()) {
            return false;
        }
        for (ThreadSnapshot x : s.exemplars()) {
            if (thread != null && !thread.matcher(x.name()).matches()) {
                return false;
            }
            if (current != null && !anyFrame(x.stack(), current)) {
                return false;
            }
            if (idleOnly && !idle(x, policy)) {
                return false;
            }
        }
        return created == null || created(s.site());
    }

    private boolean created(CreationSite site) {
        for (CreationSite c = site; c != null; c = c.parent()) {
            if (anyFrame(c.frames(), created)) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyFrame(StackTraceElement[] stack, Pattern p) {
        if (stack == null) {
            return false;
        }
        for (StackTraceElement f : stack) {
            if (p.matcher(f.getClassName() + "." + f.getMethodName()).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Waiting for work or sleeping, or running no application code at all. */
    private static boolean idle(ThreadSnapshot x, FramePolicy policy) {
        if (x.activity() == Activity.IDLE || x.activity() == Activity.SLEEPING) {
            return true;
        }
        return policy.knowsApp() && x.stack() != null && policy.blameIndex(x.stack()) < 0;
    }
}
