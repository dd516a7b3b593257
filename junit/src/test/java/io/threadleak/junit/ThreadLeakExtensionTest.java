package io.threadleak.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.threadleak.api.ThreadLeakScope;
import io.threadleak.junit.samples.AllowSample;
import io.threadleak.junit.samples.BuilderSample;
import io.threadleak.junit.samples.ClassScopeSample;
import io.threadleak.junit.samples.LeakingSample;
import io.threadleak.junit.samples.ParallelOtherSample;
import io.threadleak.junit.samples.ParallelSample;
import io.threadleak.junit.samples.Samples;
import io.threadleak.junit.samples.UnannotatedSample;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The extension with the real agent (this module's default Surefire run loads ../agent/target/threadleak-agent.jar),
 * through sample test classes run by EngineTestKit.
 */
class ThreadLeakExtensionTest {

    @BeforeAll
    static void theAgentIsLoaded() {
        assumeFalse(Boolean.getBoolean("threadleak.junit.noAgentRun"), "runs in the Surefire execution with the agent");
        assertTrue(ThreadLeakScope.agentLoaded(), "these tests need -javaagent (the module's Surefire argLine)");
    }

    @AfterEach
    void endWhatTheSamplesLeaked() throws InterruptedException {
        Samples.releaseAll();
    }

    @Test
    void aLeakingTestFailsNamingTheLineThatStartedTheThreadAndItsStacks() {
        EngineExecutionResults r = Kit.run(LeakingSample.class, "leaksAThread");
        r.testEvents().assertStatistics(s -> s.started(1).failed(1));
        String msg = Kit.failures(r).get("leaksAThread");
        Kit.keep("leaking-test-failure.txt", msg); // docs/junit.md shows this message
        String blame = LeakingSample.class.getName() + ".leaksAThread(LeakingSample.java:" + Samples.line + ")";
        assertTrue(msg.startsWith("LeakingSample.leaksAThread() leaked 1 thread: still alive 50 ms after it ended"),
                msg);
        assertTrue(msg.contains("thread \"sample-leak\" WAITING\n  created at " + blame + "\n"), msg);
        assertTrue(msg.contains("  creation stack:\n    at java.lang.Thread.start(Thread.java")
                && msg.contains(" more\n"), msg);
        assertTrue(msg.contains("    at " + LeakingSample.class.getName() + ".leaksAThread(LeakingSample.java:"
                + Samples.line + ")   <-- blamed\n"), msg);
        assertTrue(msg.contains("  current stack:\n    at ")
                && msg.contains("Samples.parkUntilReleased(Samples.java:"), msg);
        assertTrue(msg.contains("@ThreadLeakCheck(allow = \"created=" + LeakingSample.class.getName()
                + ".leaksAThread reason=\\\"<why it may outlive the test>\\\"\")"), msg);
    }

    @Test
    void aCleanTestPassesWithoutWaiting() {
        EngineExecutionResults r = Kit.run(LeakingSample.class, "clean");
        r.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        assertEquals(List.of(), Kit.entries(r, "threadleak.settle"), "a clean test has nothing to wait for");
    }

    @Test
    void junitsOwnTimeoutWatcherIsNoLeak() {
        EngineExecutionResults r = Kit.run(LeakingSample.class, "withATimeout");
        assertEquals(Map.of(), Kit.failures(r));
        r.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        assertEquals(List.of(), Kit.entries(r, "threadleak.settle"));
    }

    @Test
    void whatAfterEachStopsIsNoLeak() {
        EngineExecutionResults r = Kit.run(LeakingSample.class, "stoppedByAfterEach");
        r.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        assertEquals(List.of(), Kit.entries(r, "threadleak.settle"));
    }

    @Test
    void aThreadThatEndsWithinTheSettleTimePassesAfterAWaitForIt() {
        EngineExecutionResults r = Kit.run(LeakingSample.class, "threadEndsWithinSettle");
        r.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        List<String> settled = Kit.entries(r, "threadleak.settle");
        assertEquals(1, settled.size(), settled::toString);
        assertTrue(settled.get(0).endsWith("for 1 leftover(s); 0 still alive"), settled::toString);
    }

    @Test
    void anExecutorShutDownButStillTerminatingPasses() {
        EngineExecutionResults r = Kit.run(LeakingSample.class, "executorShutDownStillTerminating");
        r.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        List<String> settled = Kit.entries(r, "threadleak.settle");
        assertEquals(1, settled.size(), settled::toString);
        assertTrue(settled.get(0).endsWith("0 still alive"), settled::toString);
    }

    @Test
    void anExecutorNeverShutDownFailsAtItsConstructionWithoutWaiting() {
        EngineExecutionResults r = Kit.run(LeakingSample.class, "executorNeverShutDown");
        r.testEvents().assertStatistics(s -> s.started(1).failed(1));
        String msg = Kit.failures(r).get("executorNeverShutDown");
        assertTrue(msg.contains("leaked 1 executor:"), msg);
        assertTrue(msg.contains("executor \"ThreadPoolExecutor#"), msg);
        assertTrue(msg.contains("\" RUNNING, 1 worker\n  created at " + LeakingSample.class.getName()
                + ".executorNeverShutDown(LeakingSample.java:" + Samples.line + ")"), msg);
        assertTrue(msg.contains("current stack (a worker):"), msg);
        List<String> settled = Kit.entries(r, "threadleak.settle");
        assertTrue(settled.size() == 1 && settled.get(0).startsWith("waited 0 ms"),
                () -> "a pool never shut down will not end: nothing to wait for " + settled);
    }

    @Test
    void aTimerNeverCancelledFails() {
        EngineExecutionResults r = Kit.run(LeakingSample.class, "timerNeverCancelled");
        r.testEvents().assertStatistics(s -> s.started(1).failed(1));
        String msg = Kit.failures(r).get("timerNeverCancelled");
        assertTrue(msg.contains("leaked 1 timer:") && msg.contains("timer \"sample-timer\""), msg);
        assertTrue(msg.contains("created at " + LeakingSample.class.getName()
                + ".timerNeverCancelled(LeakingSample.java:"
                + Samples.line + ")"), msg);
    }

    @Test
    void aThreadStartedByAThreadOfTheTestBelongsToTheTest() {
        EngineExecutionResults r = Kit.run(LeakingSample.class, "threadOfAThreadLeaks");
        r.testEvents().assertStatistics(s -> s.started(1).failed(1));
        String msg = Kit.failures(r).get("threadOfAThreadLeaks");
        assertTrue(msg.contains("thread \"sample-grandchild\"")
                && msg.contains("LeakingSample.lambda$threadOfAThreadLeaks$"),
                msg);
    }

    @Test
    void inParallelOnlyTheLeakingTestFails() {
        EngineExecutionResults r = Kit.run(ParallelSample.class, null, Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "4"));
        r.testEvents().assertStatistics(s -> s.started(25).succeeded(24).failed(1));
        Map<String, String> failures = Kit.failures(r);
        assertEquals(Set.of("leaks"), failures.keySet());
        String msg = failures.get("leaks");
        assertTrue(msg.startsWith("ParallelSample.leaks() leaked 1 thread:"), msg);
        assertTrue(msg.contains("thread \"parallel-leak\"") && !msg.contains("parallel-clean"), msg);
        assertTrue(msg.contains("created at " + ParallelSample.class.getName() + ".leaks(ParallelSample.java:"
                + Samples.line + ")"), msg);
    }

    @Test
    void withClassesAndNestedClassesInParallelEachLeakIsBlamedOnItsOwnTest() {
        EngineExecutionResults r = EngineTestKit.engine("junit-jupiter")
                .configurationParameters(Map.of(
                        "junit.jupiter.execution.parallel.enabled", "true",
                        "junit.jupiter.execution.parallel.mode.default", "concurrent",
                        "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
                        "junit.jupiter.execution.parallel.config.strategy", "fixed",
                        "junit.jupiter.execution.parallel.config.fixed.parallelism", "3"))
                .selectors(selectClass(ParallelSample.class), selectClass(ParallelOtherSample.class))
                .execute();
        r.testEvents().assertStatistics(s -> s.started(42).succeeded(40).failed(2));
        List<String> messages = r.testEvents().failed().stream().map(Kit::message).sorted().toList();
        assertTrue(messages.get(0).startsWith("Inner.leaks() leaked 1 thread:"), messages::toString);
        assertTrue(messages.get(0).contains("thread \"other-leak\"") && !messages.get(0).contains("parallel-leak"),
                messages::toString);
        assertTrue(messages.get(1).startsWith("ParallelSample.leaks() leaked 1 thread:"), messages::toString);
        assertTrue(messages.get(1).contains("thread \"parallel-leak\"") && !messages.get(1).contains("other-leak"),
                messages::toString);
    }

    @Test
    void allowRulesFromTheClassTheMethodAndTheConfigurationAllowAndReportWhatTheyAllowed() {
        EngineExecutionResults r = Kit.run(AllowSample.class, null, Map.of("threadleak.junit.allow",
                "thread=nothing-* reason=\"unused\"; "
                        + "thread=allowed-by-configuration reason=\"config; with a semicolon\""));
        Map<String, String> failures = Kit.failures(r);
        assertEquals(Set.of("notAllowed", "expectedLeakThatDoesNotLeak"), failures.keySet(), failures::toString);
        assertTrue(failures.get("notAllowed").contains("thread \"not-allowed\""), failures::toString);
        assertTrue(failures.get("expectedLeakThatDoesNotLeak").contains("was expected to leak (expectLeak)"),
                failures::toString);
        List<String> allowed = Kit.entries(r, "threadleak.allowed");
        assertEquals(3, allowed.size(), allowed::toString);
        assertTrue(allowed.stream()
                .anyMatch(a -> a.contains("\"allowed-by-configuration\" by thread=allowed-by-configuration")),
                allowed::toString);
        assertEquals(1, Kit.entries(r, "threadleak.expectedLeak").size());
    }

    @Test
    void aBuilderRegistersTheExtensionWithItsSettings() {
        EngineExecutionResults r = Kit.run(BuilderSample.class, null);
        assertEquals(Set.of("leaks"), Kit.failures(r).keySet());
        String msg = Kit.failures(r).get("leaks");
        assertTrue(msg.contains("still alive 20 ms after it ended")
                && msg.contains("BuilderSample.leaks(BuilderSample.java:"
                + Samples.line + ")"), msg);
    }

    @Test
    void autoDetectionChecksClassesWithoutTheAnnotation() {
        Kit.run(UnannotatedSample.class, null).testEvents().assertStatistics(s -> s.succeeded(1));
        EngineExecutionResults r = Kit.run(UnannotatedSample.class, null,
                Map.of("junit.jupiter.extensions.autodetection.enabled", "true", "threadleak.junit.settle", "10ms"));
        r.testEvents().assertStatistics(s -> s.failed(1));
        assertTrue(Kit.failures(r).get("leaks").contains("UnannotatedSample.leaks(UnannotatedSample.java:"
                + Samples.line + ")"));
        Kit.run(UnannotatedSample.class, null, Map.of("junit.jupiter.extensions.autodetection.enabled", "true",
                "threadleak.junit.enabled", "false")).testEvents().assertStatistics(s -> s.succeeded(1));
    }

    @Test
    void aClassScopeChecksOnceAfterAllAndFailsTheClassForWhatBeforeAllLeft() {
        EngineExecutionResults r = Kit.run(ClassScopeSample.class, null);
        r.testEvents().assertStatistics(s -> s.started(2).succeeded(2));
        List<String> classFailures = r.containerEvents().failed().stream().map(Kit::message).toList();
        assertEquals(1, classFailures.size(), classFailures::toString);
        String msg = classFailures.get(0);
        assertTrue(msg.startsWith(ClassScopeSample.class.getName() + " leaked 1 thread"), msg);
        assertTrue(msg.contains("thread \"class-scope-leak\"") && !msg.contains("class-scope-shared"), msg);
        assertTrue(msg.contains("ClassScopeSample.startSomething(ClassScopeSample.java:" + Samples.line + ")"), msg);
        assertEquals(TestExecutionResult.Status.FAILED, r.containerEvents().failed().list().get(0)
                .getPayload(TestExecutionResult.class).orElseThrow().getStatus());
    }
}
