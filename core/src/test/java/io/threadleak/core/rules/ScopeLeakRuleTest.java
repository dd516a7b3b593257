package io.threadleak.core.rules;

import static io.threadleak.core.testutil.Fixtures.SECOND;
import static io.threadleak.core.testutil.Fixtures.appSite;
import static io.threadleak.core.testutil.Fixtures.record;
import static io.threadleak.core.testutil.Fixtures.sample;
import static io.threadleak.core.testutil.Fixtures.snap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.bootstrap.ScopeBridge;
import io.threadleak.bootstrap.ThreadScope;
import io.threadleak.core.registry.ThreadRecord;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.SiteTable;
import io.threadleak.core.testutil.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScopeLeakRuleTest {

    private final SiteTable table = Fixtures.table();
    private final CreationSite audit = appSite(table, "OrderHandler", "handle", 42);
    private final ScopeLeakRule rule = new ScopeLeakRule(SECOND, 3, Fixtures.POLICY);

    private ThreadSnapshot inScope(long id, Object scope, boolean exempt) {
        ThreadRecord r = record(id, "audit-" + id, audit);
        r.scope(scope);
        return snap(id).record(r).exempt(exempt).build();
    }

    @Test
    void threadsOfAClosedScopeAreSuspectsOnceTheLingerTimePassed() {
        ThreadScope request = new ThreadScope("request-42");
        ThreadScope other = new ThreadScope("request-43");
        List<ThreadSnapshot> threads = List.of(inScope(1, request, false), inScope(2, other, false),
                inScope(3, request, true), snap(4).site(audit).build());
        ThreadSnapshot[] all = threads.toArray(new ThreadSnapshot[0]);
        assertEquals(List.of(), rule.evaluate(sample(System.nanoTime() + 10 * SECOND, all)),
                "open scopes own their threads");

        ScopeBridge.close(request);
        ScopeBridge.close(other);
        long closed = Math.max(request.closedNanos(), other.closedNanos());
        assertEquals(List.of(), rule.evaluate(sample(closed + SECOND / 2, all)),
                "within the linger time");

        List<Suspect> out = rule.evaluate(sample(closed + 2 * SECOND, all));
        assertEquals(1, out.size(), out::toString);
        Suspect s = out.get(0);
        assertEquals(RuleName.SCOPE_LEAK, s.rule());
        assertSame(audit, s.site());
        assertEquals(2, s.count(), "the exempt thread and the thread outside any scope do not count");
        assertTrue(s.blame().startsWith("com.acme.OrderHandler.handle("), s.blame());
        assertTrue(s.evidence().get(0).startsWith("created in scope 'request-42' #"), s.evidence().toString());
        assertTrue(s.evidence().get(0).contains("(and 1 more closed scopes)"), s.evidence().toString());
    }
}
