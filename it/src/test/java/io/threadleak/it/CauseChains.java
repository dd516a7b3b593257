package io.threadleak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * What the JSON report must say about the cause chain (thread → executor → task → submitting task/thread →
 * future) of each demo scenario whose bug lives in executors, tasks, futures or timers, beyond rule and blame.
 */
final class CauseChains {

    /** Per scenario: a check of (the report, the expected suspect). */
    private static final Map<String, BiConsumer<JsonNode, JsonNode>> CHECKS = Map.of(
            "never-completed-future", (report, suspect) -> {
                JsonNode future = exemplar(suspect).path("waitsFor");
                assertTrue(future.path("future").asText().startsWith("java.util.concurrent.CompletableFuture@"),
                        "the handler waits for the reply future: " + future);
                assertEquals("NONE", future.path("producer").asText(), "nothing can complete it: " + future);
            },
            "pool-starvation", (report, suspect) -> {
                JsonNode worker = exemplar(suspect);
                assertBlamedExecutor(worker, suspect, "ThreadPoolExecutor");
                JsonNode future = worker.path("waitsFor");
                assertEquals("QUEUED", future.path("producer").asText(), "it waits for a queued task: " + future);
                assertEquals("QUEUED", future.path("task").path("state").asText(), future.toString());
                assertTrue(future.path("via").asText().endsWith("created at " + suspect.path("blame").asText()),
                        "queued in the same, starved pool: " + future);
            },
            "cancel-not-propagated", (report, suspect) -> {
                JsonNode part = exemplar(suspect);
                JsonNode task = part.path("task");
                assertEquals("RUNNING", task.path("state").asText(), "the part still runs: " + task);
                assertEquals("ThreadPoolExecutor", part.path("executor").path("kind").asText(), part.toString());
                assertTrue(task.path("submittedBy").asText().startsWith("\"export-job"),
                        "submitted by the job's thread: " + task);
                assertEquals("CANCELLED", task.path("parent").path("state").asText(),
                        "its parent, the job, was cancelled: " + task);
            },
            "timer-per-object", (report, suspect) -> {
                assertBlamedExecutor(exemplar(suspect), suspect, "Timer");
                assertUnclosed(report, "timer", suspect);
            },
            "scheduler-per-object", (report, suspect) -> {
                assertBlamedExecutor(exemplar(suspect), suspect, "ScheduledThreadPoolExecutor");
                assertUnclosed(report, "executor", suspect);
            },
            "executor-per-request", (report, suspect) -> {
                assertBlamedExecutor(exemplar(suspect), suspect, "ThreadPoolExecutor");
                assertUnclosed(report, "executor", suspect);
            });

    private CauseChains() {
    }

    /** Checks the chain of a leaky scenario's suspect, if the scenario has one to check. */
    static void check(String scenario, JsonNode report, JsonNode suspect) {
        BiConsumer<JsonNode, JsonNode> check = CHECKS.get(scenario);
        if (check != null) {
            check.accept(report, suspect);
        }
    }

    /** A fixed twin leaves no executor or timer running. */
    static void checkFixed(JsonNode report) {
        assertEquals(0, report.path("summary").path("unclosed").size(),
                () -> "executors or timers never shut down in the fixed twin: " + report.path("summary"));
    }

    private static JsonNode exemplar(JsonNode suspect) {
        JsonNode exemplars = suspect.path("exemplars");
        assertFalse(exemplars.isEmpty(), () -> "no exemplar: " + suspect);
        return exemplars.get(0);
    }

    private static void assertBlamedExecutor(JsonNode thread, JsonNode suspect, String kind) {
        JsonNode executor = thread.path("executor");
        assertEquals(kind, executor.path("kind").asText(), "the thread works for its executor: " + thread);
        assertEquals(suspect.path("blame").asText(), executor.path("blame").asText(),
                "the executor was created at the blamed frame: " + executor);
    }

    private static void assertUnclosed(JsonNode report, String kind, JsonNode suspect) {
        boolean listed = false;
        for (JsonNode u : report.path("summary").path("unclosed")) {
            listed |= kind.equals(u.path("kind").asText()) && u.path("blame").asText().equals(suspect.path("blame").asText())
                    && u.path("count").asInt() > 1;
        }
        assertTrue(listed, "the final summary lists the " + kind + "s never shut down at the blamed frame: "
                + report.path("summary"));
    }
}
