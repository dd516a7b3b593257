package io.threadleak.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Runs sample test classes through the Jupiter engine, in this JVM, and reads the results. */
final class Kit {

    private Kit() {
    }

    static EngineExecutionResults run(Class<?> sample, String method, Map<String, String> config) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameters(config)
                .selectors(method == null ? selectClass(sample) : selectMethod(sample, method))
                .execute();
    }

    static EngineExecutionResults run(Class<?> sample, String method) {
        return run(sample, method, Map.of());
    }

    /** The failure messages of the failed tests, by test method name. */
    static Map<String, String> failures(EngineExecutionResults r) {
        return r.testEvents().failed().stream().collect(Collectors.toMap(Kit::methodName, Kit::message));
    }

    /** The failure message of a failed event. */
    static String message(Event e) {
        return e.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
                .map(Throwable::getMessage).orElse("");
    }

    static String methodName(Event e) {
        String name = e.getTestDescriptor().getLegacyReportingName();
        int paren = name.indexOf('(');
        return paren < 0 ? name : name.substring(0, paren);
    }

    /** Keeps a text in target/ for people to read (the docs quote a failure message kept this way). */
    static void keep(String name, String text) {
        try {
            Files.writeString(Path.of("target", name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The values of the report entries published under this key. */
    static List<String> entries(EngineExecutionResults r, String key) {
        return r.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getPayload(ReportEntry.class).orElseThrow().getKeyValuePairs().get(key))
                .filter(v -> v != null)
                .toList();
    }
}
