package io.threadleak.core.rules;

import io.threadleak.bootstrap.ThreadScope;
import io.threadleak.core.registry.ThreadRecord;
import io.threadleak.core.sample.Sample;
import io.threadleak.core.sample.ThreadSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code SCOPE_LEAK}: threads created inside a scope (a request, a test: {@code ThreadLeakScope.open}) that are still
 * alive {@code scopeLinger} after the scope closed. A thread belongs to a scope when it was started while the scope
 * was open on its starter (or by a thread of the scope), or when it works for a pool or timer created in the scope;
 * so executors and timers that outlive their scope show as their threads. One suspect per creation site, blamed on
 * the first application frame of the creation stack.
 *
 * <p>Scope closing times come from {@link System#nanoTime()}, as the agent's sample times do.
 */
public final class ScopeLeakRule implements Rule {

    private final long lingerNanos;
    private final int exemplars;
    private final io.threadleak.core.site.FramePolicy policy;

    public ScopeLeakRule(long lingerNanos, int exemplars, io.threadleak.core.site.FramePolicy policy) {
        this.lingerNanos = lingerNanos;
        this.exemplars = exemplars;
        this.policy = policy;
    }

    @Override
    public List<Suspect> evaluate(Sample sample) {
        Map<String, List<ThreadSnapshot>> groups = null;
        Map<String, ThreadScope> scopes = null;
        for (ThreadSnapshot s : sample.threads()) {
            ThreadRecord r = s.record();
            if (r == null || s.exempt() || !(r.scope() instanceof ThreadScope scope) || !scope.closed()
                    || sample.nanos() - scope.closedNanos() < lingerNanos) {
                continue;
            }
            if (groups == null) {
                groups = new LinkedHashMap<>();
                scopes = new LinkedHashMap<>();
            }
            String key = Blames.groupKey(s, policy);
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
            scopes.putIfAbsent(key, scope);
        }
        if (groups == null) {
            return List.of();
        }
        List<Suspect> out = new ArrayList<>();
        for (Map.Entry<String, List<ThreadSnapshot>> e : groups.entrySet()) {
            List<ThreadSnapshot> threads = e.getValue();
            ThreadSnapshot first = threads.get(0);
            ThreadScope scope = scopes.get(e.getKey());
            out.add(new Suspect("SCOPE_LEAK " + e.getKey(), RuleName.SCOPE_LEAK, "thread", Blames.site(first),
                    Blames.blame(first, policy), threads.size(), Blames.states(threads), first.waitsOn(), null,
                    scope.closedNanos(), threads.subList(0, Math.min(exemplars, threads.size())),
                    evidence(first, scope, sample.nanos(), threads)));
        }
        return out;
    }

    private static List<String> evidence(ThreadSnapshot first, ThreadScope scope, long now,
                                         List<ThreadSnapshot> threads) {
        long scopesCount = threads.stream().map(t -> t.record().scope()).distinct().count();
        List<String> lines = new ArrayList<>();
        lines.add("created in scope '" + scope.name() + "' #" + scope.id() + ", which closed " + (now - scope.closedNanos()) / 1_000_000
                + " ms ago" + (scopesCount > 1 ? " (and " + (scopesCount - 1) + " more closed scopes)" : "")
                + "; still alive");
        if (Blames.workerOf(first) != null) {
            lines.add(Blames.workerOf(first) + " was created in the scope: shut it down before the scope ends");
        } else {
            lines.add("end or join it before the scope closes, or hand the work to a pool that outlives the scope");
        }
        return lines;
    }
}
