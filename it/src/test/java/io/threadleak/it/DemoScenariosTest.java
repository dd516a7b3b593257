package io.threadleak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scenario of the demo ({@code java -jar threadleak-demo-leaks.jar list}), leaky and fixed, on every
 * available JDK, with the real agent jar: the leaky variant is reported with the scenario's rule and blame
 * frame, and for executor, task, future and timer bugs with its cause chain ({@link CauseChains}); the fixed
 * twin yields no suspect at all and leaves no executor or timer running.
 */
class DemoScenariosTest {

    /** One line of the demo's {@code list}: name, expected rule, expected blame {@code pkg.Class.method}. */
    record Scenario(String name, String rule, String blame) {
    }

    /** One forked run: a scenario, leaky or fixed, on a JDK. */
    record Case(Scenario scenario, boolean fixed, Jdk jdk) {
        String variant() {
            return fixed ? "fixed" : "leaky";
        }

        @Override
        public String toString() {
            return scenario.name() + " " + variant() + " on " + jdk.label();
        }
    }

    static Stream<Case> runs() {
        List<Scenario> scenarios = listScenarios();
        List<Case> out = new ArrayList<>();
        for (Jdk jdk : Jdk.all()) {
            for (Scenario s : scenarios) {
                out.add(new Case(s, false, jdk));
                out.add(new Case(s, true, jdk));
            }
        }
        return out.stream();
    }

    static List<Scenario> listScenarios() {
        ForkedJvm.Result list = ForkedJvm.on(Jdk.current()).named("demo-list").jar(ForkedJvm.demoJar()).args("list").run();
        assertEquals(0, list.exitCode(), () -> "demo list failed\n" + list);
        List<Scenario> scenarios = new ArrayList<>();
        for (String line : list.stdoutLines()) {
            if (line.isBlank()) {
                continue;
            }
            String[] tokens = line.trim().split("\\s+");
            assertTrue(tokens.length >= 3, () -> "demo list line without name, rule and blame: '" + line + "'\n" + list);
            scenarios.add(new Scenario(tokens[0], tokens[1], tokens[2]));
        }
        assertFalse(scenarios.isEmpty(), () -> "demo list printed no scenario\n" + list);
        return scenarios;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void scenario(Case c) {
        Scenario scenario = c.scenario();
        boolean fixed = c.fixed();
        String variant = c.variant();
        List<String> args = new ArrayList<>(List.of(scenario.name()));
        if (fixed) {
            args.add("--fixed");
        }
        args.addAll(List.of("--seconds", "3"));
        ForkedJvm.Result r = ForkedJvm.on(c.jdk()).named(scenario.name() + "-" + variant)
                .agent(ForkedJvm.FAST_OPTIONS)
                .jar(ForkedJvm.demoJar()).args(args.toArray(String[]::new))
                .run();

        assertEquals(0, r.exitCode(), () -> "exit code\n" + r);
        String done = "scenario " + scenario.name() + " (" + variant + ") done";
        assertTrue(r.stdout().contains(done), () -> "the demo did not print '" + done + "'\n" + r);
        JsonNode report = r.json();
        assertTrue(report.path("final").asBoolean(), () -> "the JSON report is not the final one: "
                + Reports.summary(report) + "\n" + r);
        if (fixed) {
            assertEquals(0, report.path("suspects").size(), () -> "suspects in the fixed twin: "
                    + Reports.summary(report) + "\n" + r);
            assertEquals(0, report.path("resolved").size(), () -> "resolved suspects in the fixed twin: "
                    + Reports.summary(report) + "\n" + r);
            CauseChains.checkFixed(report);
        } else {
            JsonNode suspect = Reports.find(report, scenario.rule(), scenario.blame()).orElse(null);
            assertTrue(suspect != null, () -> "no " + scenario.rule() + " suspect blamed at " + scenario.blame()
                    + "(...): " + Reports.summary(report) + "\n" + r);
            try {
                CauseChains.check(scenario.name(), report, suspect);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + Reports.summary(report) + "\n" + r, e);
            }
        }
    }
}
