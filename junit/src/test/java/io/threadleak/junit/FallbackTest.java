package io.threadleak.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.threadleak.api.ThreadLeakScope;
import io.threadleak.junit.samples.LeakingSample;
import io.threadleak.junit.samples.ParallelSample;
import io.threadleak.junit.samples.Samples;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Without the agent (this module's "no-agent" Surefire run): live threads compared, one warning. */
class FallbackTest {

    @BeforeAll
    static void theAgentIsNotLoaded() {
        assumeTrue(Boolean.getBoolean("threadleak.junit.noAgentRun"), "runs in the no-agent Surefire execution");
        assertFalse(ThreadLeakScope.agentLoaded(), "this test runs without -javaagent (the no-agent execution)");
    }

    @BeforeEach
    void warnAgain() {
        Fallback.resetWarning();
    }

    @AfterEach
    void endWhatTheSamplesLeaked() throws InterruptedException {
        Samples.releaseAll();
    }

    @Test
    void aLeakingTestFailsWithTheThreadsCurrentStackAndOneWarning() {
        EngineExecutionResults r = Kit.run(LeakingSample.class, "leaksAThread");
        r.testEvents().assertStatistics(s -> s.failed(1));
        String msg = Kit.failures(r).get("leaksAThread");
        assertTrue(msg.startsWith("LeakingSample.leaksAThread() leaked 1 thread: still alive 50 ms after it ended "
                + "(compared live threads: the agent is not loaded)"), msg);
        assertTrue(msg.contains("thread \"sample-leak\" WAITING"), msg);
        assertTrue(msg.contains("Samples.parkUntilReleased("), msg);
        assertTrue(msg.contains("allow = \"thread=sample-leak reason="), msg);
        List<String> warnings = Kit.entries(r, "threadleak.warning");
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("-javaagent:"), warnings::toString);

        Kit.run(LeakingSample.class, "clean").testEvents().assertStatistics(s -> s.succeeded(1));
        EngineExecutionResults again = Kit.run(LeakingSample.class, "leaksAThread");
        again.testEvents().assertStatistics(s -> s.failed(1));
        assertEquals(List.of(), Kit.entries(again, "threadleak.warning"), "one warning per JVM");
    }

    @Test
    void aThreadThatEndsWithinTheSettleTimePasses() {
        Kit.run(LeakingSample.class, "threadEndsWithinSettle").testEvents().assertStatistics(s -> s.succeeded(1));
        Kit.run(LeakingSample.class, "stoppedByAfterEach").testEvents().assertStatistics(s -> s.succeeded(1));
    }

    @Test
    void inParallelItChecksNothingAndSaysSo() {
        EngineExecutionResults r = Kit.run(ParallelSample.class, null, Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent"));
        r.testEvents().assertStatistics(s -> s.started(25).succeeded(25));
        List<String> warnings = Kit.entries(r, "threadleak.warning");
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("tests run in parallel"), warnings::toString);
    }
}
