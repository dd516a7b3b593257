package io.threadleak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.it.fixture.ShortThreadsApp;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Short platform threads cost the host no extra garbage collections: a thread that allocates nothing itself must
 * not be made to allocate by the agent as it ends. Its first allocation would claim a buffer of the young generation
 * sized for a busy thread, and a few hundred such threads fill it, so the collections with the agent would run into
 * the dozens where the same program without it has about none.
 */
class ShortThreadsTest {

    private static final int THREADS = 4000;
    /** A fixed young generation, so that the two runs are alike on any machine. */
    private static final String[] HEAP = {"-XX:+UseG1GC", "-Xms256m", "-Xmx256m", "-Xmn32m"};

    static Stream<Jdk> jdks() {
        return Jdk.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void endingThreadsAddNoCollections(Jdk jdk) {
        long without = collections(ForkedJvm.on(jdk).named("short-threads-plain").jvmArgs(HEAP)
                .main(ShortThreadsApp.class).args(String.valueOf(THREADS)).run());
        ForkedJvm.Result agent = ForkedJvm.on(jdk).named("short-threads-agent").jvmArgs(HEAP)
                .agent(ForkedJvm.FAST_OPTIONS).main(ShortThreadsApp.class).args(String.valueOf(THREADS)).run();
        long with = collections(agent);
        assertTrue(with <= without + 2, () -> "collections while " + THREADS + " threads were started and joined: "
                + with + " with the agent, " + without + " without\n" + agent);
        assertTrue(agent.json().path("summary").path("endedThreads").asLong() >= THREADS,
                () -> "ended threads counted\n" + agent);
    }

    private static long collections(ForkedJvm.Result r) {
        assertEquals(0, r.exitCode(), () -> "exit code\n" + r);
        return r.stdoutLines().stream().filter(l -> l.startsWith("collections "))
                .mapToLong(l -> Long.parseLong(l.substring("collections ".length()))).findFirst()
                .orElseThrow(() -> new AssertionError("no count printed\n" + r));
    }
}
