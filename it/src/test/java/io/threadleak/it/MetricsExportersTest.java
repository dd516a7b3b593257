package io.threadleak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.tools.attach.VirtualMachine;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.instrumentation.jmx.JmxTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exporter configurations shipped in {@code src/main/metrics} against a forked demo JVM, read by the real
 * exporters: the Prometheus JMX exporter as a second agent in that JVM, scraped over HTTP, and OpenTelemetry's JMX
 * metrics library in this JVM over the target's local JMX connection. Both read the MXBean's counts: suspects per rule
 * (one growing scenario: {@code GROWING} 1, every other rule 0), totals, and per-site series bounded to
 * {@code metricSites} rows plus {@code other}.
 */
class MetricsExportersTest {

    private static final String BLAME = "io.threadleak.demo.NoExitPath.handleRequest";
    private static final Set<String> RULES = Set.of("GROWING", "STUCK", "DEADLOCK", "STARVED", "CANCEL_IGNORED",
            "EXIT_BLOCKED");
    private static final Duration PATIENCE = Duration.ofSeconds(45);
    /** The metrics of {@code opentelemetry-jmx.yaml}. */
    private static final Set<String> METRICS = new TreeSet<>(List.of("threadleak.live_threads",
            "threadleak.tracked_threads", "threadleak.live_executors", "threadleak.live_timers",
            "threadleak.queued_tasks", "threadleak.ended_threads", "threadleak.suspects", "threadleak.site.threads",
            "threadleak.site.executors", "threadleak.site.timers", "threadleak.site.queued_tasks"));

    static Stream<Jdk> jdks() {
        return Jdk.all().stream();
    }

    private static Path config(String name) {
        Path p = ForkedJvm.root().resolve("src/main/metrics").resolve(name);
        assertTrue(Files.isRegularFile(p), p + " is missing");
        return p;
    }

    // ---- Prometheus ------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void prometheusJmxExporterReadsTheMxBeanThroughTheShippedConfiguration(Jdk jdk) throws Exception {
        String exporter = System.getProperty("threadleak.prometheusAgent", "");
        assertTrue(Files.isRegularFile(Path.of(exporter)), "no Prometheus JMX exporter jar at '" + exporter
                + "' (threadleak.prometheusAgent, set by the it module's pom)");
        Path json = ForkedJvm.workDir("prometheus-json").resolve("report.json");
        int port = freePort();
        // threadleak first, as docs/metrics.md says: it then also tracks the exporter's own executors and timers
        try (ForkedJvm.Running app = ForkedJvm.on(jdk).named("prometheus-exporter")
                .jvmArgs("-javaagent:" + ForkedJvm.agentJar() + "=" + ForkedJvm.FAST_OPTIONS + ",metricSites=1,json="
                                + json,
                        "-javaagent:" + exporter + "=127.0.0.1:" + port + ":" + config("prometheus-jmx-exporter.yaml"))
                .jar(ForkedJvm.demoJar()).args("no-exit-path", "--seconds", "60").timeout(Duration.ofSeconds(90))
                .start()) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            Map<String, Double> m = poll(() -> scrape(http, port),
                    s -> s.getOrDefault("threadleak_suspects{rule=\"GROWING\"}", 0.0) == 1.0
                            && s.getOrDefault(site("threadleak_site_threads", BLAME), 0.0) > 4);
            String all = "scraped:\n" + new TreeMap<>(m).entrySet().stream().map(Object::toString)
                    .collect(Collectors.joining("\n")) + "\n" + app.output();

            for (String rule : RULES) {
                assertEquals(rule.equals("GROWING") ? 1.0 : 0.0, m.get("threadleak_suspects{rule=\"" + rule + "\"}"),
                        rule + "\n" + all);
            }
            for (String name : List.of("threadleak_live_threads", "threadleak_tracked_threads",
                    "threadleak_live_executors", "threadleak_live_timers", "threadleak_queued_tasks",
                    "threadleak_ended_threads_total")) {
                assertTrue(m.containsKey(name), name + "\n" + all);
            }
            assertTrue(m.get("threadleak_live_threads") >= m.get(site("threadleak_site_threads", BLAME)), all);
            // metricSites=1: the growing site and "other", however many sites have live things
            for (String name : List.of("threadleak_site_threads", "threadleak_site_executors", "threadleak_site_timers",
                    "threadleak_site_queued_tasks")) {
                assertEquals(Set.of("site=\"" + BLAME + "\"", "site=\"other\""), labels(m, name), name + "\n" + all);
            }
            // the exporter's own HTTP server pool is another site, folded into "other"
            assertTrue(m.get(site("threadleak_site_executors", "other")) >= 1, all);
            assertEquals(0.0, m.get(site("threadleak_site_executors", BLAME)), all);
        }
    }

    private static String site(String metric, String site) {
        return metric + "{site=\"" + site + "\"}";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static final Pattern SAMPLE = Pattern.compile("(threadleak_[a-z_]+(?:\\{[^}]*})?) (\\S+)");

    /** The {@code threadleak_*} samples of one scrape, by name and labels; empty while the exporter is not up. */
    private static Map<String, Double> scrape(HttpClient http, int port) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/metrics")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            Map<String, Double> out = new HashMap<>();
            for (String line : r.body().split("\n")) {
                Matcher m = SAMPLE.matcher(line);
                if (m.matches()) {
                    out.put(m.group(1), Double.parseDouble(m.group(2)));
                }
            }
            return out;
        } catch (IOException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Set<String> labels(Map<String, Double> samples, String metric) {
        return samples.keySet().stream().filter(k -> k.startsWith(metric + "{"))
                .map(k -> k.substring(metric.length() + 1, k.length() - 1)).collect(Collectors.toSet());
    }

    // ---- OpenTelemetry ---------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void openTelemetryJmxMetricsReadTheMxBeanThroughTheShippedRules(Jdk jdk) throws Exception {
        try (ForkedJvm.Running app = ForkedJvm.on(jdk).named("otel-jmx-target")
                .agent(ForkedJvm.FAST_OPTIONS + ",metricSites=2").jar(ForkedJvm.demoJar())
                .args("no-exit-path", "--seconds", "60").timeout(Duration.ofSeconds(90)).start();
             JMXConnector connector = connect(app)) {
            MBeanServerConnection conn = connector.getMBeanServerConnection();
            ObjectName bean = new ObjectName("io.threadleak:type=ThreadLeak");
            app.await("the MXBean", () -> registered(conn, bean));
            InMemoryReader reader = new InMemoryReader();
            try (SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(reader).build()) {
                JmxTelemetry.builder(OpenTelemetrySdk.builder().setMeterProvider(meters).build())
                        .addRules(config("opentelemetry-jmx.yaml")).build().start(() -> List.of(conn));
                // the library finds beans and attributes in the background: wait until every metric is there
                Map<String, Map<String, Long>> m = poll(() -> points(reader.collect()), s -> s.size() == METRICS.size()
                        && s.getOrDefault("threadleak.suspects", Map.of()).getOrDefault("rule=GROWING", 0L) == 1
                        && sitesOf(s).equals(liveBySite(conn, bean)));
                String all = "collected:\n" + new TreeMap<>(m).entrySet().stream().map(Object::toString)
                        .collect(Collectors.joining("\n")) + "\n" + app.output();

                // every rule of the file resolved against the MXBean
                assertEquals(METRICS, new TreeSet<>(m.keySet()), all);
                Map<String, Long> suspects = m.get("threadleak.suspects");
                assertEquals(RULES.stream().map(r -> "rule=" + r).collect(Collectors.toSet()), suspects.keySet(), all);
                RULES.forEach(r -> assertEquals(r.equals("GROWING") ? 1L : 0L, suspects.get("rule=" + r), r + "\n" + all));
                // metricSites=2: ranks 1, 2 and other, however many sites have live things; the top one is the leak
                Map<String, Long> threads = m.get("threadleak.site.threads");
                assertEquals(Set.of("1", "2", "other"), threads.keySet().stream().map(k -> k.replaceAll(".*rank=", ""))
                        .collect(Collectors.toSet()), all);
                assertTrue(threads.getOrDefault("site=" + BLAME + ",rank=1", 0L) > 4, all);
                assertTrue(threads.containsKey("site=other,rank=other"), all);
                assertFalse(m.get("threadleak.live_threads").isEmpty(), all);
            }
        }
    }

    private static boolean registered(MBeanServerConnection conn, ObjectName name) {
        try {
            return conn.isRegistered(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JMXConnector connect(ForkedJvm.Running app) throws Exception {
        app.awaitStdoutLine("the demo running", l -> l.contains("running for"));
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(app.pid()));
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        return JMXConnectorFactory.connect(new JMXServiceURL(address));
    }

    /** The MXBean's {@code LiveBySite} keys, as this JMX client reads them. */
    private static Set<String> liveBySite(MBeanServerConnection conn, ObjectName bean) {
        try {
            return ((TabularData) conn.getAttribute(bean, "LiveBySite")).values().stream()
                    .map(row -> (String) ((CompositeData) row).get("key")).collect(Collectors.toSet());
        } catch (Exception e) {
            throw new AssertionError("cannot read LiveBySite", e);
        }
    }

    /** The non-empty {@code site} attributes of {@code threadleak.site.threads}. */
    private static Set<String> sitesOf(Map<String, Map<String, Long>> points) {
        return points.getOrDefault("threadleak.site.threads", Map.of()).keySet().stream()
                .map(k -> k.replaceAll("^site=([^,]*),.*$", "$1")).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    }

    private static final AttributeKey<String> SITE = AttributeKey.stringKey("site");
    private static final AttributeKey<String> RANK = AttributeKey.stringKey("rank");
    private static final AttributeKey<String> RULE = AttributeKey.stringKey("rule");

    /** Each {@code threadleak.*} metric's points, keyed {@code rule=X}, {@code site=X,rank=N} or {@code ""}. */
    private static Map<String, Map<String, Long>> points(Collection<MetricData> metrics) {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        for (MetricData md : metrics) {
            if (!md.getName().startsWith("threadleak.")) {
                continue;
            }
            Collection<LongPointData> points = md.getType().name().contains("GAUGE")
                    ? md.getLongGaugeData().getPoints() : md.getLongSumData().getPoints();
            Map<String, Long> byKey = new TreeMap<>();
            for (LongPointData p : points) {
                String key = p.getAttributes().get(RULE) != null ? "rule=" + p.getAttributes().get(RULE)
                        : p.getAttributes().get(RANK) != null
                        ? "site=" + p.getAttributes().get(SITE) + ",rank=" + p.getAttributes().get(RANK) : "";
                byKey.put(key, p.getValue());
            }
            out.put(md.getName(), byKey);
        }
        return out;
    }

    /** A metric reader that collects when asked (the SDK's testing module has one; this avoids its dependencies). */
    private static final class InMemoryReader implements MetricReader {
        private volatile CollectionRegistration registration = CollectionRegistration.noop();

        @Override
        public void register(CollectionRegistration r) {
            registration = r;
        }

        Collection<MetricData> collect() {
            return registration.collectAllMetrics();
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType type) {
            return AggregationTemporality.CUMULATIVE;
        }

        @Override
        public CompletableResultCode forceFlush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    // ---- polling ---------------------------------------------------------------------------------------------------

    /** Reads until {@code done} holds or {@link #PATIENCE} passed; returns the last reading for the assertions. */
    private static <T> T poll(Supplier<T> read, Predicate<T> done) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        T last = read.get();
        while (!done.test(last) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
            last = read.get();
        }
        return last;
    }
}
