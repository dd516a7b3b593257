package io.threadleak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.threadleak.it.fixture.SharedTaskApp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Threads recorded by their task's (or thread subclass's) class without a walk: one task object started from two
 * places is still counted at each place. Started in turns, the first walks already see both places, so every
 * count is exact; all of one place first, the threads of the second place counted at the first before a check
 * walk catches it are at most 63.
 */
class StartKeysTest {

    private static final String A = SharedTaskApp.class.getName() + ".startFromA(";
    private static final String B = SharedTaskApp.class.getName() + ".startFromB(";
    private static final int PER_PLACE = 200;

    @ParameterizedTest
    @ValueSource(strings = {"alternating", "sequential"})
    void oneTaskStartedFromTwoPlacesIsCountedAtEach(String order) {
        Optional<Jdk> jdk = Jdk.atLeast(21);
        Assumptions.assumeTrue(jdk.isPresent(), "no JDK 21+ available (see threadleak.extraJdks): " + Jdk.all());

        checkCounts(ForkedJvm.on(jdk.get()).named("start-keys-" + order), order, false);
    }

    /** Each JDK under test with each order and kind of platform-thread start. */
    static Stream<Arguments> platformStarts() {
        return Jdk.all().stream().flatMap(jdk -> Stream.of("alternating platform", "sequential platform",
                "alternating subclass", "sequential subclass").map(c -> Arguments.of(jdk, c)));
    }

    /**
     * The same for platform threads, on every JDK under test: started with one shared task, or as instances of one
     * {@code Thread} subclass, whose class is then the start key.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("platformStarts")
    void platformThreadsOfOneTaskOrClassStartedFromTwoPlacesAreCountedAtEach(Jdk jdk, String orderAndKind) {
        String order = orderAndKind.split(" ")[0];
        String kind = orderAndKind.split(" ")[1];
        checkCounts(ForkedJvm.on(jdk).named("start-keys-" + order + "-" + kind), order, true, kind);
    }

    /**
     * Runs the fixture and checks the counts at A and B: exact when started in turns; started all of A's first, at
     * most 63 of B's counted at A, and with {@code keyedForSure} at least one (every start walked would count
     * exactly A's own at A, so that one shows the key recorded starts without a walk).
     */
    private static void checkCounts(ForkedJvm jvm, String order, boolean keyedForSure, String... kind) {
        List<String> args = new ArrayList<>(List.of(order, String.valueOf(PER_PLACE)));
        args.addAll(List.of(kind));
        ForkedJvm.Result r = jvm.agent(ForkedJvm.FAST_OPTIONS).main(SharedTaskApp.class)
                .args(args.toArray(new String[0])).run();
        assertEquals(0, r.exitCode(), () -> "exit code\n" + r);
        assertTrue(r.stdout().contains("started"), () -> "fixture did not finish\n" + r);
        Map<String, Integer> last = lastThreadCounts(r.json());
        int a = last.getOrDefault(A, 0);
        int b = last.getOrDefault(B, 0);
        assertEquals(2 * PER_PLACE, a + b, () -> "threads counted at A and B: " + last + "\n" + r);
        if (order.equals("alternating")) {
            assertEquals(PER_PLACE, a, () -> "threads counted: " + last);
        } else {
            int least = keyedForSure ? PER_PLACE + 1 : PER_PLACE;
            assertTrue(a >= least && a < PER_PLACE + 64, () -> "threads counted at A: " + last);
        }
    }

    /**
     * The last point of each site's live-thread series, by blame (up to the opening parenthesis). Where one blame
     * has several sites, the largest: the first virtual thread's start also starts the scheduler's carrier
     * threads, a site of their own with the same blame.
     */
    private static Map<String, Integer> lastThreadCounts(JsonNode report) {
        Map<String, Integer> out = new HashMap<>();
        for (JsonNode site : report.path("trends").path("sites")) {
            String blame = site.path("blame").asText();
            int paren = blame.indexOf('(');
            JsonNode threads = site.path("threads");
            if (paren > 0 && threads.size() > 0) {
                out.merge(blame.substring(0, paren + 1), threads.get(threads.size() - 1).asInt(), Math::max);
            }
        }
        return out;
    }
}
