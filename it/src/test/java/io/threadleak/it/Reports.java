package io.threadleak.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Queries on the agent's JSON report. */
public final class Reports {

    private Reports() {
    }

    /** The report's {@code suspects} followed by its {@code resolved} suspects. */
    public static List<JsonNode> suspectsAndResolved(JsonNode report) {
        List<JsonNode> out = new ArrayList<>();
        report.path("suspects").forEach(out::add);
        report.path("resolved").forEach(out::add);
        return out;
    }

    /**
     * The first suspect (ongoing or resolved) with {@code rule} whose {@code blame} starts with
     * {@code blameMethod + "("}, e.g. {@code io.threadleak.demo.BlockedPut.exportBatch}.
     */
    public static Optional<JsonNode> find(JsonNode report, String rule, String blameMethod) {
        return suspectsAndResolved(report).stream()
                .filter(s -> rule.equals(s.path("rule").asText()))
                .filter(s -> s.path("blame").asText().startsWith(blameMethod + "("))
                .findFirst();
    }

    /** One line per suspect: rule, kind, count, blame. For assertion messages. */
    public static String summary(JsonNode report) {
        if (report == null) {
            return "(no report)";
        }
        StringBuilder sb = new StringBuilder("final=" + report.path("final") + ", summary=" + report.path("summary"));
        for (String list : List.of("suspects", "resolved")) {
            sb.append("\n  ").append(list).append(':');
            for (JsonNode s : report.path(list)) {
                sb.append("\n    ").append(s.path("rule").asText()).append(' ').append(s.path("kind").asText())
                        .append(" x").append(s.path("count").asInt()).append(" at ").append(s.path("blame").asText())
                        .append(" (").append(s.path("status").asText()).append(')');
            }
        }
        return sb.toString();
    }

    /** The strings of a JSON array. */
    public static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
