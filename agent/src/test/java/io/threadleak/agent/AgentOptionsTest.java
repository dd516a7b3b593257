package io.threadleak.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.core.Config;
import io.threadleak.core.StackMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AgentOptionsTest {

    private static AgentOptions parse(String args) {
        return AgentOptions.parse(args, new Properties());
    }

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void defaults() {
        for (String args : new String[] {null, "", "  ", ",,"}) {
            AgentOptions o = parse(args);
            assertEquals(List.of(), o.problems(), "args " + args);
            assertEquals(Config.defaults(), o.config());
            assertEquals("info", o.logLevel());
            assertFalse(o.faultInjection());
            assertFalse(o.strict());
            assertFalse(o.appGiven());
        }
        Config d = Config.defaults();
        assertEquals(Duration.ofSeconds(60), d.interval());
        assertEquals(Duration.ofSeconds(5), d.sample());
        assertEquals(Duration.ofSeconds(60), d.stuckAfter());
        assertEquals(3, d.growthSamples());
        assertEquals(4, d.growthFloor());
        assertEquals(Duration.ofSeconds(10), d.exitAfter());
        assertNull(d.json());
        assertEquals(StackMode.THREADS, d.stacks());
        assertEquals(32, d.stackDepth());
        assertEquals(3, d.exemplars());
        assertEquals(10, d.metricSites());
        assertEquals(Duration.ofSeconds(1), d.scopeLinger());
    }

    @Test
    void everyKeyIsParsed() {
        AgentOptions o = parse("interval=30s,sample=500ms,stuckAfter=2m,growthSamples=5,growthFloor=0,exitAfter=1h,"
                + "json=/tmp/tl/report.json,app=com.acme;org.example,exclude=com.acme.shaded,"
                + "ignoreThreads=pool-\\d+-thread-\\d+;worker.*,stacks=none,stackDepth=64,exemplars=0,log=DEBUG,"
                + "faultInject=hooks,cancelAfter=45s,strict=true,suppress=/etc/tl/suppress.txt,"
                + "html=/tmp/tl/report.html,metricSites=25,prove=5m,scopeLinger=250ms");
        assertEquals(List.of(), o.problems());
        assertEquals(Duration.ofMinutes(5), o.prove());
        Config c = o.config();
        assertEquals(Duration.ofSeconds(30), c.interval());
        assertEquals(Duration.ofMillis(500), c.sample());
        assertEquals(Duration.ofMinutes(2), c.stuckAfter());
        assertEquals(5, c.growthSamples());
        assertEquals(0, c.growthFloor());
        assertEquals(Duration.ofHours(1), c.exitAfter());
        assertEquals(Path.of("/tmp/tl/report.json"), c.json());
        assertEquals(List.of("com.acme", "org.example"), c.app());
        assertEquals(List.of("com.acme.shaded"), c.exclude());
        assertEquals(List.of("pool-\\d+-thread-\\d+", "worker.*"), c.ignoreThreads().stream().map(Pattern::pattern)
                .toList());
        assertTrue(c.ignoreThreads().get(0).matcher("pool-1-thread-3").matches());
        assertEquals(StackMode.NONE, c.stacks());
        assertEquals(64, c.stackDepth());
        assertEquals(0, c.exemplars());
        assertEquals("debug", o.logLevel());
        assertTrue(o.faultInjection());
        assertTrue(o.strict());
        assertTrue(o.appGiven());
        assertEquals(Duration.ofSeconds(45), c.cancelAfter());
        assertEquals(Path.of("/etc/tl/suppress.txt"), c.suppress());
        assertEquals(Path.of("/tmp/tl/report.html"), c.html());
        assertEquals(25, c.metricSites());
        assertTrue(o.toString().contains(", metricSites=25"), o::toString);
        assertEquals(0, parse("metricSites=0").config().metricSites(), "0: every site folded into other");
        assertEquals(Duration.ofMillis(250), c.scopeLinger());
        assertEquals(AgentOptions.KEYS.size(), 22, "a new key needs a test here");
    }

    @Test
    void spacesAroundKeysValuesAndListItemsAreIgnored() {
        AgentOptions o = parse(" interval = 2m , app = com.acme ; ;org.example ; , stacks=THREADS ");
        assertEquals(List.of(), o.problems());
        assertEquals(Duration.ofMinutes(2), o.config().interval());
        assertEquals(List.of("com.acme", "org.example"), o.config().app());
        assertEquals(StackMode.THREADS, o.config().stacks());
    }

    @Test
    void stacksAllRecordsTaskSubmitSites() {
        assertEquals(StackMode.ALL, parse("stacks=all").config().stacks());
    }

    @Test
    void valueMayContainEquals() {
        assertEquals(Path.of("/tmp/a=b.json"), parse("json=/tmp/a=b.json").config().json());
    }

    static Stream<Arguments> badInputs() {
        Config d = Config.defaults();
        Function<AgentOptions, Object> interval = o -> o.config().interval();
        Function<AgentOptions, Object> stuck = o -> o.config().stuckAfter();
        return Stream.of(
                Arguments.of("interval=5x", "interval", "duration", interval, d.interval()),
                Arguments.of("interval=0s", "interval", "positive duration", interval, d.interval()),
                Arguments.of("interval=0ms", "interval", "positive duration", interval, d.interval()),
                Arguments.of("stuckAfter=-1s", "stuckAfter", "duration", stuck, d.stuckAfter()),
                Arguments.of("stuckAfter=30", "stuckAfter", "duration", stuck, d.stuckAfter()),
                Arguments.of("stuckAfter=1.5s", "stuckAfter", "duration", stuck, d.stuckAfter()),
                Arguments.of("sample=99999999999s", "sample", "duration", (Function<AgentOptions, Object>) o ->
                        o.config().sample(), d.sample()),
                Arguments.of("exitAfter=", "exitAfter", "duration", (Function<AgentOptions, Object>) o ->
                        o.config().exitAfter(), d.exitAfter()),
                Arguments.of("growthSamples=abc", "growthSamples", "whole number from 1 to 1000",
                        (Function<AgentOptions, Object>) o -> o.config().growthSamples(), d.growthSamples()),
                Arguments.of("growthSamples=0", "growthSamples", "whole number from 1 to 1000",
                        (Function<AgentOptions, Object>) o -> o.config().growthSamples(), d.growthSamples()),
                Arguments.of("growthFloor=-1", "growthFloor", "whole number from 0 to 1000000",
                        (Function<AgentOptions, Object>) o -> o.config().growthFloor(), d.growthFloor()),
                Arguments.of("stackDepth=2147483648", "stackDepth", "whole number from 1 to 1024",
                        (Function<AgentOptions, Object>) o -> o.config().stackDepth(), d.stackDepth()),
                Arguments.of("stackDepth=1025", "stackDepth", "whole number from 1 to 1024",
                        (Function<AgentOptions, Object>) o -> o.config().stackDepth(), d.stackDepth()),
                Arguments.of("exemplars=101", "exemplars", "whole number from 0 to 100",
                        (Function<AgentOptions, Object>) o -> o.config().exemplars(), d.exemplars()),
                Arguments.of("metricSites=-1", "metricSites", "whole number from 0 to 1000",
                        (Function<AgentOptions, Object>) o -> o.config().metricSites(), d.metricSites()),
                Arguments.of("metricSites=1001", "metricSites", "whole number from 0 to 1000",
                        (Function<AgentOptions, Object>) o -> o.config().metricSites(), d.metricSites()),
                Arguments.of("metricSites=ten", "metricSites", "whole number from 0 to 1000",
                        (Function<AgentOptions, Object>) o -> o.config().metricSites(), d.metricSites()),
                Arguments.of("json=", "json", "file path", (Function<AgentOptions, Object>) o -> o.config().json(),
                        null),
                Arguments.of("json=a\u0000b", "json", "file path",
                        (Function<AgentOptions, Object>) o -> o.config().json(), null),
                Arguments.of("html=", "html", "file path", (Function<AgentOptions, Object>) o -> o.config().html(),
                        null),
                Arguments.of("html=a\u0000b", "html", "file path",
                        (Function<AgentOptions, Object>) o -> o.config().html(), null),
                Arguments.of("app=com/acme", "app", "package prefixes",
                        (Function<AgentOptions, Object>) o -> o.config().app(), List.of()),
                Arguments.of("app=com.acme;bad pkg", "app", "package prefixes",
                        (Function<AgentOptions, Object>) o -> o.config().app(), List.of()),
                Arguments.of("exclude=org.lib;org-lib", "exclude", "package prefixes",
                        (Function<AgentOptions, Object>) o -> o.config().exclude(), List.of()),
                Arguments.of("ignoreThreads=ok.*;[unclosed", "ignoreThreads", "regular expressions",
                        (Function<AgentOptions, Object>) o -> o.config().ignoreThreads(), List.of()),
                Arguments.of("log=loud", "log", "one of off, error, warn, info, debug, trace",
                        (Function<AgentOptions, Object>) AgentOptions::logLevel, "info"),
                Arguments.of("cancelAfter=soon", "cancelAfter", "duration",
                        (Function<AgentOptions, Object>) o -> o.config().cancelAfter(), d.cancelAfter()),
                Arguments.of("stacks=some", "stacks", "one of threads, all, none",
                        (Function<AgentOptions, Object>) o -> o.config().stacks(), StackMode.THREADS),
                Arguments.of("strict=yes", "strict", "one of false, true",
                        (Function<AgentOptions, Object>) AgentOptions::strict, false),
                Arguments.of("prove=sometimes", "prove", "off or a positive duration",
                        (Function<AgentOptions, Object>) AgentOptions::prove, null),
                Arguments.of("prove=0s", "prove", "off or a positive duration",
                        (Function<AgentOptions, Object>) AgentOptions::prove, null),
                Arguments.of("prove=20000h", "prove", "at most 10000h",
                        (Function<AgentOptions, Object>) AgentOptions::prove, null),
                Arguments.of("faultInject=yes", "faultInject", "one of none, hooks",
                        (Function<AgentOptions, Object>) AgentOptions::faultInjection, false),
                Arguments.of("bogus=1", "bogus", "valid: interval, sample, stuckAfter",
                        (Function<AgentOptions, Object>) AgentOptions::config, withFloor7(d)),
                Arguments.of("StuckAfter=1s", "StuckAfter", "valid:",
                        (Function<AgentOptions, Object>) AgentOptions::config, withFloor7(d)),
                Arguments.of("stuckAfter", "stuckAfter", "needs a value", stuck, d.stuckAfter()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputYieldsOneProblemNamingKeyAndExpectationAndFallsBackToTheDefault(
            String args, String key, String expected, Function<AgentOptions, Object> value, Object fallback) {
        AgentOptions o = parse("growthFloor=7," + args);
        assertEquals(1, o.problems().size(), "problems: " + o.problems());
        String problem = o.problems().get(0);
        assertTrue(problem.contains("'" + key + "'"), problem);
        assertTrue(problem.contains(expected), problem);
        assertFalse(problem.contains("\n"), "one line: " + problem);
        assertEquals(fallback, value.apply(o));
        assertEquals(key.equals("growthFloor") ? 4 : 7, o.config().growthFloor(), "the other options still apply");
    }

    private static Config withFloor7(Config d) {
        return new Config(d.interval(), d.sample(), d.stuckAfter(), d.growthSamples(), 7, d.exitAfter(), d.json(),
                d.app(), d.exclude(), d.ignoreThreads(), d.stacks(), d.stackDepth(), d.exemplars());
    }

    @Test
    void proveIsOffByDefaultAndOffTurnsItOff() {
        assertNull(parse("").prove());
        assertNull(parse("prove=off").prove());
        assertNull(parse("prove=OFF").prove());
        assertEquals(List.of(), parse("prove=off").problems());
        assertEquals(Duration.ofSeconds(2), parse("prove=2s").prove());
        assertTrue(parse("prove=2m").toString().contains("prove=2m"), parse("prove=2m").toString());
        assertFalse(parse("").toString().contains("prove"));
        assertTrue(parse("prove=nope").problems().get(0).endsWith("got 'nope'; using the default off"),
                parse("prove=nope").problems().get(0));
    }

    @Test
    void problemsNameTheOffendingValueAndTheDefault() {
        String p = parse("interval=5x").problems().get(0);
        assertEquals("option 'interval': expected a positive duration like 500ms, 30s, 2m or 1h, got '5x';"
                + " using the default 1m", p);
        assertTrue(parse("growthSamples=zero").problems().get(0).endsWith("got 'zero'; using the default 3"));
    }

    @Test
    void largestAcceptedDurationsFitInNanoseconds() {
        AgentOptions o = parse("interval=10000h,sample=999999999ms");
        assertEquals(List.of(), o.problems());
        assertEquals(Duration.ofHours(10_000).toNanos(), o.config().interval().toNanos());
    }

    @Test
    void severalProblemsOneLineEach() {
        AgentOptions o = parse("interval=5x,nope=1,log=loud,growthFloor=5");
        assertEquals(3, o.problems().size(), o.problems().toString());
        assertEquals(5, o.config().growthFloor());
    }

    @Test
    void systemPropertiesAreReadAndTheAgentArgumentWins() {
        Properties p = props("threadleak.stuckAfter", "5m", "threadleak.growthFloor", " 9 ", "threadleak.app",
                "com.acme;org.example", "threadleak.log", "warn", "threadleak.unknownKey", "x", "other.prop", "y");
        AgentOptions fromProps = AgentOptions.parse(null, p);
        assertEquals(List.of(), fromProps.problems());
        assertEquals(Duration.ofMinutes(5), fromProps.config().stuckAfter());
        assertEquals(9, fromProps.config().growthFloor());
        assertEquals(List.of("com.acme", "org.example"), fromProps.config().app());
        assertTrue(fromProps.appGiven());
        assertEquals("warn", fromProps.logLevel());

        AgentOptions both = AgentOptions.parse("stuckAfter=30s,log=error", p);
        assertEquals(Duration.ofSeconds(30), both.config().stuckAfter());
        assertEquals("error", both.logLevel());
        assertEquals(9, both.config().growthFloor(), "keys not in the argument still come from properties");
    }

    @Test
    void badSystemPropertyIsAProblemToo() {
        AgentOptions o = AgentOptions.parse(null, props("threadleak.interval", "soon"));
        assertEquals(1, o.problems().size());
        assertTrue(o.problems().get(0).contains("'interval'"));
        assertEquals(Duration.ofSeconds(60), o.config().interval());
        AgentOptions fixedByArg = AgentOptions.parse("interval=10s", props("threadleak.interval", "soon"));
        assertEquals(List.of(), fixedByArg.problems(), "the argument replaces the bad property");
        assertEquals(Duration.ofSeconds(10), fixedByArg.config().interval());
    }

    @Test
    void durationFormatRoundTrips() {
        assertEquals("1m", AgentOptions.format(Duration.ofSeconds(60)));
        assertEquals("500ms", AgentOptions.format(Duration.ofMillis(500)));
        assertEquals("1500ms", AgentOptions.format(Duration.ofMillis(1500)));
        assertEquals("2h", AgentOptions.format(Duration.ofHours(2)));
        assertEquals("90s", AgentOptions.format(Duration.ofSeconds(90)));
        for (String s : new String[] {"500ms", "30s", "2m", "1h"}) {
            assertEquals(s, AgentOptions.format(parse("interval=" + s).config().interval()));
        }
    }

    @Test
    void toStringDescribesTheEffectiveOptions() {
        String s = parse("interval=30s,app=com.acme,exclude=org.lib").toString();
        assertTrue(s.contains("interval=30s"), s);
        assertTrue(s.contains("app=com.acme"), s);
        assertTrue(s.contains("exclude=org.lib"), s);
        assertTrue(s.contains("stacks=threads"), s);
    }

    @Test
    void durationsTooLargeForNanosecondsAreRejectedWithTheDefault() {
        AgentOptions o = parse("stuckAfter=999999999h,interval=153722868m");
        assertEquals(2, o.problems().size(), o.problems().toString());
        assertTrue(o.problems().stream().anyMatch(p -> p.startsWith("option 'stuckAfter'")), o.problems().toString());
        assertTrue(o.problems().stream().anyMatch(p -> p.startsWith("option 'interval'")), o.problems().toString());
        assertEquals(Duration.ofSeconds(60), o.config().stuckAfter());
        assertEquals(Duration.ofSeconds(60), o.config().interval());
        assertTrue(parse("stuckAfter=10000h").problems().isEmpty());
    }
}
