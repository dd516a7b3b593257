package io.threadleak.demo;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * Command line of the demo.
 *
 * <pre>
 * list                              one scenario a line: name, rule, blame, description
 * all [--fixed] [--seconds N]       every scenario one after another (forgotten-thread last)
 * NAME [--fixed] [--seconds N]      one scenario, leaky unless --fixed, for N seconds (default 10)
 * </pre>
 *
 * Bad usage prints the scenario names on stderr and exits with status 2. Otherwise {@code main} just
 * returns, so the JVM exits by itself once the scenario is over (or, for {@code forgotten-thread},
 * once the forgotten thread gives up).
 */
public final class DemoMain {

    private static final Duration DEFAULT_DURATION = Duration.ofSeconds(10);

    private DemoMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 1 && args[0].equals("list")) {
            list();
            return;
        }
        if (args.length == 0 || args[0].startsWith("-")) {
            usage(args.length == 0 ? "missing command" : "expected a command before " + args[0]);
        }
        boolean fixed = false;
        Duration duration = DEFAULT_DURATION;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--fixed" -> fixed = true;
                case "--seconds" -> duration = parseSeconds(i + 1 < args.length ? args[++i] : null);
                default -> usage("unknown argument: " + args[i]);
            }
        }
        String command = args[0];
        if (command.equals("all")) {
            for (Scenario scenario : Scenarios.ALL) {
                run(scenario, fixed, duration);
            }
        } else {
            Scenario scenario = Scenarios.byName(command).orElse(null);
            if (scenario == null) {
                usage("unknown scenario: " + command);
            }
            run(scenario, fixed, duration);
        }
    }

    private static void list() {
        for (Scenario s : Scenarios.ALL) {
            System.out.printf("%-26s  %-14s  %-58s  %s%n", s.name(), s.rule(), s.blame(), s.description());
        }
    }

    private static void run(Scenario scenario, boolean fixed, Duration duration) throws InterruptedException {
        String label = "scenario " + scenario.name() + (fixed ? " (fixed)" : " (leaky)");
        System.out.println(label + " running for " + format(duration));
        scenario.run(fixed, duration);
        System.out.println(label + " done");
    }

    private static Duration parseSeconds(String value) {
        if (value == null) {
            usage("--seconds needs a value");
        }
        try {
            BigDecimal seconds = new BigDecimal(value);
            if (seconds.signum() >= 0) {
                return Duration.ofMillis(seconds.movePointRight(3).longValueExact());
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // fall through to the usage message
        }
        usage("--seconds needs a non-negative number, got: " + value);
        throw new AssertionError("unreachable");
    }

    private static String format(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString() + "s";
    }

    private static void usage(String problem) {
        List<String> names = Scenarios.names();
        System.err.println("threadleak-demo-leaks: " + problem);
        System.err.println("usage: list | all [--fixed] [--seconds N] | NAME [--fixed] [--seconds N]");
        System.err.println("scenarios: " + String.join(", ", names));
        System.exit(2);
    }
}
