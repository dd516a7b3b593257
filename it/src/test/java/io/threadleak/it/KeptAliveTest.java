package io.threadleak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.it.fixture.KeptAliveApp;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No application object (task, child task, callable, future, thread) stays reachable from the agent once it is done
 * and a sample has passed: the fixture waits, collecting garbage, until its weak references are all cleared.
 */
class KeptAliveTest {

    static Stream<Jdk> jdks() {
        return Jdk.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void doneTasksFuturesAndThreadsAreNotKeptAlive(Jdk jdk) {
        ForkedJvm.Result without = ForkedJvm.on(jdk).named("kept-alive-no-agent").main(KeptAliveApp.class)
                .args("20").run();
        assertEquals(0, without.exitCode(), () -> "the fixture keeps something alive by itself\n" + without);
        ForkedJvm.Result r = ForkedJvm.on(jdk).named("kept-alive")
                .agent(ForkedJvm.FAST_OPTIONS)
                .main(KeptAliveApp.class).args("20").run();
        assertEquals(0, r.exitCode(), () -> "the agent keeps done objects alive\n" + r);
        assertTrue(r.stdout().contains("all collected: "), () -> r.toString());
    }
}
