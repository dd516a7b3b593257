package io.threadleak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.threadleak.it.fixture.VirtualThreadsApp;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Virtual threads (JDK 21+; uses an extra JDK when the tests run on 17): leaked virtual threads are reported at
 * the method that started them, and their exemplars are marked virtual.
 */
class VirtualThreadsTest {

    private static final String BLAME = VirtualThreadsApp.class.getName() + ".startVirtualWaiters";

    @Test
    void leakedVirtualThreadsAreBlamedAtTheirCreator() {
        Optional<Jdk> jdk = Jdk.atLeast(21);
        Assumptions.assumeTrue(jdk.isPresent(), "no JDK 21+ available (see threadleak.extraJdks): " + Jdk.all());

        ForkedJvm.Result r = ForkedJvm.on(jdk.get()).named("virtual-threads")
                .agent(ForkedJvm.FAST_OPTIONS)
                .main(VirtualThreadsApp.class).args("100")
                .run();
        assertEquals(0, r.exitCode(), () -> "exit code\n" + r);
        assertTrue(r.stdout().contains("done: 100 requests"), () -> "fixture did not finish\n" + r);
        JsonNode report = r.json();

        List<JsonNode> blamed = Reports.suspectsAndResolved(report).stream()
                .filter(s -> List.of("STUCK", "GROWING").contains(s.path("rule").asText()))
                .filter(s -> s.path("blame").asText().startsWith(BLAME + "("))
                .toList();
        assertTrue(!blamed.isEmpty(), () -> "no STUCK or GROWING suspect blamed at " + BLAME + ": "
                + Reports.summary(report) + "\n" + r);
        for (JsonNode suspect : blamed) {
            JsonNode exemplars = suspect.path("exemplars");
            assertTrue(exemplars.size() > 0, () -> "no exemplars: " + suspect);
            for (JsonNode exemplar : exemplars) {
                assertTrue(exemplar.path("virtual").asBoolean(false),
                        () -> "exemplar not marked virtual: " + exemplar + "\n" + Reports.summary(report));
            }
        }
    }
}
