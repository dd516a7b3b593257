package io.threadleak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.tools.attach.VirtualMachine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The MXBean {@code io.threadleak:type=ThreadLeak} and the {@code report <pid>} / {@code status <pid>} commands
 * against a forked demo JVM, with the agent and without it.
 */
class ReportCommandTest {

    private static final String BLAME = "io.threadleak.demo.ExecutorPerRequest.handleRequest";
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Jdk> jdks() {
        return Jdk.all().stream();
    }

    private static ForkedJvm.Running leakingDemo(Jdk jdk, String name, boolean agent) {
        ForkedJvm jvm = ForkedJvm.on(jdk).named(name).jar(ForkedJvm.demoJar())
                .args("executor-per-request", "--seconds", "45").timeout(Duration.ofSeconds(120));
        if (agent) {
            jvm.agent(ForkedJvm.FAST_OPTIONS);
        }
        ForkedJvm.Running app = jvm.start();
        app.awaitStdoutLine("the demo running", l -> l.contains("running for"));
        if (agent) {
            app.awaitReport("a GROWING suspect", r -> Reports.find(r, "GROWING", BLAME).isPresent());
        }
        return app;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void statusAndReportInEveryFormat(Jdk jdk) throws Exception {
        try (ForkedJvm.Running app = leakingDemo(jdk, "report-cli-target", true)) {
            String pid = String.valueOf(app.pid());
            ForkedJvm.Result status = ForkedJvm.agentCli(jdk, "cli-status", "status", pid);
            assertEquals(0, status.exitCode(), () -> status + "\n" + app.output());
            assertTrue(status.stdout().contains("threadleak is loaded in " + pid + " since "), status::toString);
            assertTrue(status.stdout().contains("options: interval=500ms, sample=100ms"), status::toString);
            assertTrue(status.stdout().contains("GROWING 1"), status::toString);

            Path out = app.dir().resolve("cli-report.json");
            ForkedJvm.Result json = ForkedJvm.agentCli(jdk, "cli-report-json", "report", pid, "--format", "json",
                    "--out", out.toString());
            assertEquals(0, json.exitCode(), json::toString);
            JsonNode doc = JSON.readTree(out.toFile());
            assertEquals(1, doc.path("version").asInt());
            assertTrue(!doc.path("final").asBoolean());
            assertTrue(Reports.find(doc, "GROWING", BLAME).isPresent(), () -> Reports.summary(doc));
            assertTrue(doc.path("trends").path("sites").size() > 0, "trends in the on-demand report");

            ForkedJvm.Result text = ForkedJvm.agentCli(jdk, "cli-report-text", "report", pid);
            assertEquals(0, text.exitCode(), text::toString);
            assertTrue(text.stdout().contains("GROWING: ") && text.stdout().contains(BLAME + "("), text::toString);

            ForkedJvm.Result html = ForkedJvm.agentCli(jdk, "cli-report-html", "report", pid, "--format", "html");
            assertEquals(0, html.exitCode(), html::toString);
            assertTrue(html.stdout().startsWith("<!DOCTYPE html>"), html::toString);
            assertTrue(html.stdout().contains("Content-Security-Policy") && html.stdout().contains(BLAME + "("));
        }
    }

    @Test
    void withoutTheAgentStatusSaysHowToLoadIt() {
        Jdk jdk = Jdk.current();
        try (ForkedJvm.Running app = leakingDemo(jdk, "no-agent-target", false)) {
            String pid = String.valueOf(app.pid());
            ForkedJvm.Result status = ForkedJvm.agentCli(jdk, "cli-status-no-agent", "status", pid);
            assertEquals(3, status.exitCode(), status::toString);
            assertEquals(List.of("threadleak is not loaded in " + pid + "; load it with: java -jar threadleak-agent.jar "
                    + "attach " + pid + " (or start that JVM with -javaagent:threadleak-agent.jar)"), status.stderrLines());
            ForkedJvm.Result report = ForkedJvm.agentCli(jdk, "cli-report-no-agent", "report", pid);
            assertEquals(3, report.exitCode(), report::toString);
        }
    }

    @Test
    void badArgumentsGiveOneClearLine() {
        Jdk jdk = Jdk.current();
        for (String[] args : new String[][] {
            {"report", "abc"}, {"report", "1", "--format", "xml"}, {"report", "1", "--out"}, {"report", "1", "--x"},
            {"status"}, {"status", "pid"},
        }) {
            ForkedJvm.Result r = ForkedJvm.agentCli(jdk, "cli-bad", args);
            assertEquals(2, r.exitCode(), r::toString);
            assertEquals(1, r.stderrLines().size(), r::toString);
        }
    }

    @Test
    void mxBeanAttributesOperationsAndNotifications() throws Exception {
        Jdk jdk = Jdk.current();
        try (ForkedJvm.Running app = leakingDemo(jdk, "jmx-target", true)) {
            VirtualMachine vm = VirtualMachine.attach(String.valueOf(app.pid()));
            String address;
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MBeanServerConnection conn = connector.getMBeanServerConnection();
                ObjectName name = new ObjectName("io.threadleak:type=ThreadLeak");
                app.await("the MXBean", () -> {
                    try {
                        return conn.isRegistered(name);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                BlockingQueue<Notification> received = new LinkedBlockingQueue<>();
                conn.addNotificationListener(name, (n, handback) -> received.add(n), null, null);

                assertTrue((Integer) conn.getAttribute(name, "SuspectCount") >= 1);
                assertTrue(((String) conn.getAttribute(name, "Options")).startsWith("interval=500ms"));
                assertTrue((Integer) conn.getAttribute(name, "LiveExecutors") > 0);
                CompositeData[] suspects = (CompositeData[]) conn.getAttribute(name, "Suspects");
                assertTrue(Stream.of(suspects).anyMatch(s -> "GROWING".equals(s.get("rule"))
                        && ((String) s.get("blame")).startsWith(BLAME + "(") && (Integer) s.get("count") > 0));
                JsonNode doc = JSON.readTree((String) conn.invoke(name, "reportJson", new Object[0], new String[0]));
                assertTrue(Reports.find(doc, "GROWING", BLAME).isPresent(), () -> Reports.summary(doc));

                // the demo keeps creating executors: the suspect grows, and each logged report says so
                Notification n = received.poll(30, TimeUnit.SECONDS);
                assertTrue(n != null, "no notification within 30 s\n" + app.output());
                assertTrue(n.getType().startsWith("io.threadleak.suspect."), n::toString);
                assertTrue(n.getMessage().contains(" at "), n::toString);
            }
        }
    }
}
