package io.threadleak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.threadleak.it.fixture.HealthyService;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No false positives: a long-lived healthy service ({@link HealthyService}: several pools, periodic tasks, a timer,
 * a queue consumer, idle workers, short-lived threads, the common pool and, on JDK 21+, virtual threads) runs for
 * {@value #SECONDS} s under the short test thresholds, about {@value #SECONDS}0 samples and many times
 * {@code stuckAfter}, the equivalent of hours at the default thresholds, and the agent reports no suspect at all,
 * neither at the end nor at any time during the run.
 */
class HealthyServiceTest {

    private static final String SECONDS = "12";

    static Stream<Jdk> jdks() {
        return Jdk.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aLongLivedHealthyServiceProducesNoSuspect(Jdk jdk) {
        assertNoSuspect(jdk, "healthy-service");
    }

    /**
     * The same service, but its main thread waits for the whole run on a stop latch, as a service's main often does
     * ({@code latch.await()}, Netty's {@code closeFuture().sync()}, Jetty's {@code server.join()}): the main thread
     * waiting is the service's idle state, not a stuck thread.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aMainThreadWaitingForTheStopSignalIsNotStuck(Jdk jdk) {
        assertNoSuspect(jdk, "healthy-service-stop-latch", HealthyService.AWAIT_STOP_LATCH);
    }

    private static void assertNoSuspect(Jdk jdk, String name, String... fixtureOptions) {
        List<String> args = new ArrayList<>(List.of(SECONDS));
        args.addAll(List.of(fixtureOptions));
        // no app=: the agent takes io.threadleak.it.fixture from the main class on the command line
        ForkedJvm launch = ForkedJvm.on(jdk).named(name)
                .agent(ForkedJvm.FAST_OPTIONS)
                .main(HealthyService.class).args(args.toArray(String[]::new));

        ForkedJvm.Result r;
        JsonNode running;
        try (ForkedJvm.Running jvm = launch.start()) {
            // while it runs, the agent sees the service's executors: the test cannot pass on an agent that sees nothing
            running = jvm.awaitReport("a report with the service's executors live",
                    report -> !report.path("final").asBoolean()
                            && report.path("summary").path("liveExecutors").asInt() >= 4);
            r = jvm.awaitExit();
        }
        assertEquals(0, running.path("suspects").size(),
                () -> "suspects during the run: " + Reports.summary(running) + "\n" + r);

        assertEquals(0, r.exitCode(), () -> "exit code\n" + r);
        assertTrue(r.stdout().contains("healthy service done"), () -> "the service did not finish\n" + r);
        assertTrue(r.stdout().contains(" 0 errors"), () -> "requests of the service failed\n" + r);

        JsonNode report = r.json();
        Supplier<String> context = () -> Reports.summary(report) + "\n" + r;
        assertTrue(report.path("final").asBoolean(), () -> "the JSON report is not the final one: " + context.get());
        assertEquals(0, report.path("suspects").size(), () -> "suspects in a healthy service: " + context.get());
        assertEquals(0, report.path("resolved").size(),
                () -> "suspects that held for a while in a healthy service: " + context.get());
        // the batches of short-lived threads (5 a second), the pool workers, the acceptor, the consumer ... ended
        assertTrue(report.path("summary").path("endedThreads").asInt() > 20,
                () -> "the agent saw few of the service's threads end: " + context.get());
    }
}
