package io.threadleak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.threadleak.it.fixture.QuietServicesApp;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real services stay quiet ({@link QuietServicesApp}): servers whose {@code main} returned are serving, not
 * blocking the exit; a shared pool growing and shrinking with load is not a leak; virtual threads polling with a
 * timeout are not stuck. Their leaky twins are still reported, with rule and blame.
 */
class QuietServicesTest {

    private static final String APP = QuietServicesApp.class.getName();

    static Stream<Jdk> jdks() {
        return Jdk.all().stream();
    }

    // ---- quiet -------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aJdkHttpServerWhoseMainReturnedIsServingNotExitBlocked(Jdk jdk) {
        JsonNode report = serve(jdk, "http");
        assertNoSuspect(report);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void anEmbeddedJettyWhoseMainReturnedIsServingNotExitBlocked(Jdk jdk) {
        JsonNode report = serve(jdk, "jetty");
        assertNoSuspect(report);
    }

    /** A Netty boss loop shows no accept frame while idle: the process's listening socket tells it serves. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aNettyServerWhoseMainReturnedIsServingNotExitBlocked(Jdk jdk) {
        JsonNode report = serve(jdk, "netty");
        assertNoSuspect(report);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aSharedLibraryPoolRampingUpAndDownWithLoadIsNotGrowing(Jdk jdk) {
        ForkedJvm.Result r = ForkedJvm.on(jdk).named("pool-ramp").agent(ForkedJvm.FAST_OPTIONS)
                .main(QuietServicesApp.class).args("pool-ramp", "4").run();
        assertEquals(0, r.exitCode(), () -> "exit code\n" + r);
        assertTrue(r.stdout().contains("pool ramp done"), () -> "fixture did not finish\n" + r);
        String done = r.stdoutLines().stream().filter(l -> l.startsWith("pool ramp done")).findFirst().orElse("");
        int peak = Integer.parseInt(done.replaceAll(".*peak (\\d+) workers.*", "$1"));
        assertTrue(peak > 8, () -> "the pool did not grow past the floor, the test proves nothing: " + done);
        assertNoSuspect(r.json());
    }

    @Test
    void fiftyVirtualThreadsPollingWithATimeoutAreNotStuck() {
        Optional<Jdk> jdk = Jdk.atLeast(21);
        Assumptions.assumeTrue(jdk.isPresent(), "no JDK 21+ available (see threadleak.extraJdks): " + Jdk.all());
        ForkedJvm.Result r = ForkedJvm.on(jdk.get()).named("virtual-pollers").agent(ForkedJvm.FAST_OPTIONS)
                .main(QuietServicesApp.class).args("virtual-pollers", "3").run();
        assertEquals(0, r.exitCode(), () -> "exit code\n" + r);
        assertTrue(r.stdout().contains("virtual pollers done"), () -> "fixture did not finish\n" + r);
        assertNoSuspect(r.json());
    }

    // ---- leaky twins -------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aServerStartingAThreadPerRequestIsGrowing(Jdk jdk) {
        JsonNode report = serve(jdk, "http-thread-per-request");
        assertFound(report, "GROWING", "thread", APP + ".startWorkerForRequest");
        assertNone(report, "EXIT_BLOCKED");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aServerCreatingAnExecutorPerRequestIsGrowing(Jdk jdk) {
        JsonNode report = serve(jdk, "http-executor-per-request");
        assertFound(report, "GROWING", "executor", APP + ".executorForRequest");
        assertNone(report, "EXIT_BLOCKED");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aBatchThatNeverShutsItsPoolDownIsExitBlocked(Jdk jdk) {
        try (ForkedJvm.Running jvm = ForkedJvm.on(jdk).named("forgotten-pool").agent(ForkedJvm.FAST_OPTIONS)
                .main(QuietServicesApp.class).args("forgotten-pool").start()) {
            jvm.awaitStdoutLine("main returned", l -> l.equals("forgotten-pool main returns"));
            JsonNode running = jvm.awaitReport("an EXIT_BLOCKED suspect", r -> Reports.find(r, "EXIT_BLOCKED",
                    APP + ".batchPool").isPresent());
            assertNotNull(running);
            ForkedJvm.Result r = jvm.awaitExit(); // closing stdin: System.exit(0)
            assertEquals(0, r.exitCode(), () -> "exit code\n" + r);
        }
    }

    @Test
    void fiftyParkedVirtualThreadsAreOneStuckSuspectWithTheTrueCount() {
        Optional<Jdk> jdk = Jdk.atLeast(21);
        Assumptions.assumeTrue(jdk.isPresent(), "no JDK 21+ available (see threadleak.extraJdks): " + Jdk.all());
        ForkedJvm.Result r = ForkedJvm.on(jdk.get()).named("virtual-parked").agent(ForkedJvm.FAST_OPTIONS)
                .main(QuietServicesApp.class).args("virtual-parked", "3").run();
        assertEquals(0, r.exitCode(), () -> "exit code\n" + r);
        JsonNode report = r.json();
        JsonNode stuck = Reports.find(report, "STUCK", APP + ".startVirtual").orElse(null);
        assertNotNull(stuck, () -> "no STUCK suspect: " + Reports.summary(report) + "\n" + r);
        assertEquals(50, stuck.path("count").asInt(), () -> "not the true count: " + stuck);
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /**
     * Starts a server mode, waits for {@code main} to return, sends requests for about 2 s (four times
     * {@code exitAfter} and many samples), takes the last running report, then stops the JVM the way a service is
     * stopped (its shutdown hooks run) and returns the final report, after checking the running one had the same
     * verdict on EXIT_BLOCKED.
     */
    private static JsonNode serve(Jdk jdk, String mode) {
        try (ForkedJvm.Running jvm = ForkedJvm.on(jdk).named(mode).agent(ForkedJvm.FAST_OPTIONS)
                .main(QuietServicesApp.class).args(mode).start()) {
            String line = jvm.awaitStdoutLine("the port", l -> l.startsWith("serving on port "));
            int port = Integer.parseInt(line.substring("serving on port ".length()).trim());
            jvm.awaitStdoutLine("main returned", l -> l.equals(mode + " main returns"));
            long end = System.nanoTime() + 2_000_000_000L;
            int sent = 0;
            while (System.nanoTime() < end) {
                get(port);
                sent++;
                sleep(40);
            }
            int requests = sent;
            JsonNode running = jvm.awaitReport("a report after the requests",
                    r -> !r.path("final").asBoolean() && r.path("summary").path("liveThreads").asInt() > 0);
            ForkedJvm.Result r = jvm.awaitExit();
            assertEquals(0, r.exitCode(), () -> "exit code\n" + r);
            JsonNode report = r.json();
            assertTrue(report.path("final").asBoolean(), () -> "not the final report\n" + r);
            assertTrue(requests > 10, "few requests sent: " + requests);
            assertNone(running, "EXIT_BLOCKED");
            return report;
        }
    }

    private static void get(int port) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/").openConnection();
            c.setConnectTimeout(5_000);
            c.setReadTimeout(5_000);
            assertEquals(200, c.getResponseCode());
            try (InputStream in = c.getInputStream()) {
                in.readAllBytes();
            }
        } catch (IOException e) {
            throw new AssertionError("request to port " + port + " failed", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void assertNoSuspect(JsonNode report) {
        Supplier<String> context = () -> Reports.summary(report);
        assertEquals(0, report.path("suspects").size(), () -> "suspects: " + context.get());
        assertEquals(0, report.path("resolved").size(), () -> "suspects that held for a while: " + context.get());
    }

    private static void assertNone(JsonNode report, String rule) {
        List<JsonNode> found = Reports.suspectsAndResolved(report).stream()
                .filter(s -> rule.equals(s.path("rule").asText())).toList();
        assertEquals(List.of(), found, () -> rule + " suspects: " + Reports.summary(report));
    }

    private static void assertFound(JsonNode report, String rule, String kind, String blame) {
        JsonNode s = Reports.find(report, rule, blame).orElse(null);
        assertNotNull(s, () -> "no " + rule + " blamed at " + blame + ": " + Reports.summary(report));
        assertEquals(kind, s.path("kind").asText(), () -> "kind: " + s);
        assertTrue(s.path("count").asInt() > 4, () -> "count not above the floor: " + s);
    }
}
