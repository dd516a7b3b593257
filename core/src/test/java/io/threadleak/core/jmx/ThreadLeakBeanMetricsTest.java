package io.threadleak.core.jmx;

import static io.threadleak.core.testutil.Fixtures.SECOND;
import static io.threadleak.core.testutil.Fixtures.appSite;
import static io.threadleak.core.testutil.Fixtures.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.rules.RuleName;
import io.threadleak.core.sample.Sample;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.SiteTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.Test;

/**
 * The metrics attributes as a JMX client sees them (open types only), on a bean registered in a private MBean server:
 * what the Prometheus JMX exporter and OpenTelemetry's JMX metrics read.
 */
class ThreadLeakBeanMetricsTest {

    private final SiteTable sites = table();
    private final MBeanServer server = MBeanServerFactory.newMBeanServer();
    private long now;

    private ThreadLeakBean register(int metricSites) throws Exception {
        ThreadLeakBean bean = new ThreadLeakBean(() -> null, "test", 0, metricSites, json -> { });
        server.registerMBean(bean, new ObjectName(ThreadLeakMXBean.NAME));
        for (Map.Entry<String, ThreadLeakSiteMXBean> rank : bean.ranks().entrySet()) {
            server.registerMBean(rank.getValue(), new ObjectName(rank.getKey()));
        }
        return bean;
    }

    private Sample sample(int a, int b, int c, int queuedAtA) {
        CreationSite sa = appSite(sites, "A", "run", 1);
        CreationSite sb = appSite(sites, "B", "run", 1);
        CreationSite sc = appSite(sites, "C", "run", 1);
        Map<CreationSite, Integer> live = new HashMap<>(Map.of(sa, a, sb, b, sc, c));
        now += SECOND;
        return new Sample(now, 0, List.of(), live, Map.of(sa, 1), List.of(), 0, -1, Map.of(), Map.of(sa, queuedAtA),
                List.of());
    }

    private Object get(String name, String attribute) throws Exception {
        return server.getAttribute(new ObjectName(name), attribute);
    }

    @Test
    void liveBySiteIsATableOfTheTopSitesAndOther() throws Exception {
        ThreadLeakBean bean = register(2);
        assertEquals(0, ((TabularData) get(ThreadLeakMXBean.NAME, "LiveBySite")).size(), "nothing before a sample");
        bean.sampled(sample(5, 9, 2, 4));
        TabularData t = (TabularData) get(ThreadLeakMXBean.NAME, "LiveBySite");
        Map<String, CompositeData> rows = t.values().stream().map(CompositeData.class::cast)
                .collect(Collectors.toMap(r -> (String) r.get("key"), r -> (CompositeData) r.get("value")));
        assertEquals(Set.of("com.acme.A.run", "com.acme.B.run", "other"), rows.keySet());
        CompositeData a = rows.get("com.acme.A.run");
        assertEquals(List.of(5, 1, 0, 4), Stream.of("threads", "executors", "timers", "queuedTasks").map(a::get).toList());
        assertEquals(2, rows.get("other").get("threads"), "C folded");
        assertEquals(4, get(ThreadLeakMXBean.NAME, "QueuedTasks"));
    }

    @Test
    void everyRuleIsAKeyOfSuspectsPerRule() throws Exception {
        register(2);
        TabularData t = (TabularData) get(ThreadLeakMXBean.NAME, "SuspectsPerRule");
        Set<String> keys = new TreeSet<>();
        for (Object row : t.values()) {
            keys.add((String) ((CompositeData) row).get("key"));
            assertEquals(0, ((CompositeData) row).get("value"));
        }
        assertEquals(Stream.of(RuleName.values()).map(Enum::name).collect(Collectors.toCollection(TreeSet::new)), keys);
    }

    @Test
    void rankBeansAreFixedInNumberAndFollowTheLatestSample() throws Exception {
        ThreadLeakBean bean = register(2);
        assertEquals(3, server.queryNames(new ObjectName("io.threadleak:type=ThreadLeakSite,*"), null).size());
        String first = ThreadLeakSiteMXBean.NAME_PREFIX + 1;
        String other = ThreadLeakSiteMXBean.NAME_PREFIX + "other";
        assertEquals("", get(first, "Site"), "vacant before a sample");
        assertEquals(0, get(first, "Threads"));
        assertEquals("other", get(other, "Site"));

        bean.sampled(sample(5, 9, 2, 0));
        assertEquals("com.acme.B.run", get(first, "Site"));
        assertEquals(9, get(first, "Threads"));
        assertEquals(2, get(other, "Threads"));

        bean.sampled(sample(12, 9, 0, 0));
        assertEquals("com.acme.A.run", get(first, "Site"), "A overtook B");
        assertEquals(1, get(first, "Executors"));
        assertEquals(0, get(other, "Threads"), "C's threads ended");
        assertTrue(server.isRegistered(new ObjectName(ThreadLeakSiteMXBean.NAME_PREFIX + 2)));
    }
}
