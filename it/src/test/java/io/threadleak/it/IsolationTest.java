package io.threadleak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.threadleak.it.fixture.IsolationProbeApp;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * With the agent loaded, class-path code gets no more than without it: {@code jdk.internal.misc} and the internals
 * of {@code java.util.concurrent} stay closed, and calling every public method of the boot-loaded bridge classes
 * (with nulls and with dummies) neither switches the agent off, nor replaces it, nor returns anything but a flag,
 * a count or a scope token of the caller's own: threads leaked afterwards are still reported.
 */
class IsolationTest {

    static Stream<Jdk> jdks() {
        return Jdk.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void classPathCodeCannotReachThroughTheAgent(Jdk jdk) {
        ForkedJvm.Result r = ForkedJvm.on(jdk).named("isolation")
                .agent(ForkedJvm.FAST_OPTIONS)
                .main(IsolationProbeApp.class).args("60")
                .run();
        assertEquals(0, r.exitCode(), () -> "exit code\n" + r);
        List<String> out = r.stdoutLines();
        assertTrue(out.contains("unsafe closed java.lang.IllegalAccessException"),
                () -> "jdk.internal.misc.Unsafe must stay closed to the class path\n" + r);
        assertTrue(out.contains("futuretask.callable closed java.lang.reflect.InaccessibleObjectException"),
                () -> "java.util.concurrent must stay closed to the class path\n" + r);
        assertTrue(out.contains("thread.task closed java.lang.reflect.InaccessibleObjectException"),
                () -> "java.lang must stay closed to the class path\n" + r);
        if (jdk.feature() >= 21) {
            assertTrue(out.contains("containers closed java.lang.IllegalAccessException"),
                    () -> "jdk.internal.vm must stay unexported to the class path\n" + r);
            assertTrue(out.contains("continuation.target closed java.lang.reflect.InaccessibleObjectException"),
                    () -> "jdk.internal.vm must stay closed to the class path\n" + r);
        }
        assertTrue(out.stream().anyMatch(l -> l.startsWith("bridge class io.threadleak.bootstrap.ThreadLeakBridge loader null")),
                () -> "the probe did not reach the boot-loaded bridge\n" + r);
        List<String> calls = out.stream().filter(l -> l.startsWith("call ")).toList();
        assertTrue(calls.size() >= 20, () -> "too few bridge methods called: " + calls + "\n" + r);
        for (String call : calls) {
            assertFalse(call.contains(" threw ") || call.contains(" refused "), () -> "a bridge method threw: " + call);
            if (call.contains(" -> ") && !call.endsWith(" -> null")) {
                String result = call.substring(call.indexOf(" -> ") + 4);
                // a scope (ScopeBridge.open) holds a name, a number and times: the caller's own token
                assertTrue(result.startsWith("java.lang.Boolean ") || result.startsWith("java.lang.Long ")
                                || result.startsWith("io.threadleak.bootstrap.ThreadScope scope '"),
                        () -> "a bridge method returned more than a flag, a count or a scope: " + call);
            }
        }
        assertTrue(calls.contains("call install(nulls) -> java.lang.Boolean false"), () -> calls.toString());
        assertTrue(calls.contains("call install(dummies) -> java.lang.Boolean false"), () -> calls.toString());
        assertFalse(r.stdout().contains("REPLACED"), () -> "the probe's hooks replaced the agent's\n" + r);

        JsonNode report = r.json();
        String blame = IsolationProbeApp.class.getName() + ".leakOne";
        JsonNode suspect = Reports.find(report, "GROWING", blame).orElse(null);
        assertNotNull(suspect, () -> "threads leaked after the probe were not reported at " + blame + ": "
                + Reports.summary(report) + "\n" + r);
        assertTrue(r.stderr().contains("; hooks: ") && !r.stderr().contains("; skipped: "),
                () -> "the start-up line lists the hooks and skips none\n" + r);
    }
}
