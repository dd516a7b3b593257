package io.threadleak.core.site;

import static io.threadleak.core.testutil.Fixtures.f;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FramePolicyTest {

    private static final StackTraceElement[] LIBRARY_THEN_APP = {
        f("java.lang.Thread", "start", 800),
        f("java.util.concurrent.ThreadPoolExecutor", "addWorker", 945),
        f("io.threadleak.agent.internal.ThreadStartAdvice", "enter", 20),
        f("org.lib.pool.Pool", "grow", 12),
        f("com.acme.shaded.hikari.HikariPool", "fill", 30),
        f("com.acme.orders.OrderService", "connect", 42),
        f("com.acme.Main", "main", 7),
    };

    @ParameterizedTest
    @ValueSource(strings = {"java.lang.Thread", "javax.management.MBeanServer", "jdk.internal.misc.Unsafe",
        "sun.nio.ch.EPollSelectorImpl", "com.sun.net.httpserver.HttpServer", "org.w3c.dom.Node",
        "org.xml.sax.Parser", "org.ietf.jgss.GSSContext"})
    void jdkClassesAreJdkAndNeverBlamed(String cls) {
        assertTrue(FramePolicy.isJdk(cls));
        assertFalse(FramePolicy.isAgent(cls));
        FramePolicy noApp = new FramePolicy(List.of(), List.of());
        assertFalse(noApp.isBlameable(cls));
        assertFalse(noApp.isNonJdk(cls));
        assertFalse(new FramePolicy(List.of("java", "sun", "jdk"), List.of()).isBlameable(cls),
                "even when configured as app");
    }

    @ParameterizedTest
    @ValueSource(strings = {"io.threadleak.core.ThreadLeakMonitor", "io.threadleak.agent.AgentOptions",
        "io.threadleak.bootstrap.ThreadLeakBridge", "io.threadleak.shaded.net.bytebuddy.ByteBuddy"})
    void agentClassesAreAgentAndNeverBlamed(String cls) {
        assertTrue(FramePolicy.isAgent(cls));
        assertFalse(FramePolicy.isJdk(cls));
        assertFalse(new FramePolicy(List.of(), List.of()).isBlameable(cls));
        assertFalse(new FramePolicy(List.of("io.threadleak"), List.of()).isBlameable(cls), "even when app");
        assertFalse(new FramePolicy(List.of(), List.of()).isNonJdk(cls));
    }

    @Test
    void nonAgentProjectPackagesAreNotAgent() {
        assertFalse(FramePolicy.isAgent("io.threadleak.demo.NoExitPath"));
        assertFalse(FramePolicy.isAgent("io.threadleak.coreish.Foo"));
        assertFalse(FramePolicy.isJdk("javafx.Foo"));
        assertFalse(FramePolicy.isJdk("com.sunny.Foo"));
    }

    @Test
    void withAppPackagesOnlyAppCodeIsBlameable() {
        FramePolicy p = new FramePolicy(List.of("com.acme"), List.of());
        assertTrue(p.knowsApp());
        assertTrue(p.isBlameable("com.acme.orders.OrderService"));
        assertTrue(p.isBlameable("com.acme.Main$1"));
        assertFalse(p.isBlameable("com.acmecorp.Other"), "prefix is a package, not a string prefix");
        assertFalse(p.isBlameable("org.lib.pool.Pool"));
        assertTrue(p.isNonJdk("org.lib.pool.Pool"), "a library is still a fallback");
    }

    @Test
    void withoutAppPackagesAnyNonJdkNonAgentCodeIsBlameable() {
        FramePolicy p = new FramePolicy(List.of(), List.of());
        assertFalse(p.knowsApp());
        assertTrue(p.isBlameable("org.lib.pool.Pool"));
        assertTrue(p.isBlameable("com.acme.Main"));
    }

    @Test
    void excludeWinsOverApp() {
        FramePolicy p = new FramePolicy(List.of("com.acme"), List.of("com.acme.shaded"));
        assertFalse(p.isBlameable("com.acme.shaded.hikari.HikariPool"));
        assertFalse(p.isNonJdk("com.acme.shaded.hikari.HikariPool"), "excluded is not even a fallback");
        assertTrue(p.isBlameable("com.acme.orders.OrderService"));
        assertEquals(5, p.blameIndex(LIBRARY_THEN_APP));
    }

    @Test
    void prefixesAreTrimmedDottedAndBlankOnesIgnored() {
        FramePolicy p = new FramePolicy(List.of(" com.acme. ", "", "  ", "org.example"), List.of(" org.lib "));
        assertTrue(p.knowsApp());
        assertTrue(p.isBlameable("com.acme.X"));
        assertTrue(p.isBlameable("org.example.Y"));
        assertFalse(p.isBlameable("org.examples.Y"));
        assertFalse(p.isNonJdk("org.lib.pool.Pool"));
        assertTrue(p.isNonJdk("org.library.Z"), "exclude is a package prefix too");
        assertFalse(new FramePolicy(List.of(" ", ""), List.of()).knowsApp());
    }

    @Test
    void blameIndexWithAppPackagesSkipsJdkAgentAndLibraries() {
        FramePolicy p = new FramePolicy(List.of("com.acme"), List.of());
        assertEquals(4, p.blameIndex(LIBRARY_THEN_APP), "the shaded library is in com.acme and not excluded");
        assertEquals(3, p.fallbackIndex(LIBRARY_THEN_APP));
        FramePolicy orders = new FramePolicy(List.of("com.acme.orders"), List.of());
        assertEquals(5, orders.blameIndex(LIBRARY_THEN_APP));
    }

    @Test
    void blameIndexWithoutAppPackagesIsFirstNonJdkNonAgentFrame() {
        FramePolicy p = new FramePolicy(List.of(), List.of());
        assertEquals(3, p.blameIndex(LIBRARY_THEN_APP));
        assertEquals(3, p.fallbackIndex(LIBRARY_THEN_APP));
        FramePolicy excl = new FramePolicy(List.of(), List.of("org.lib", "com.acme.shaded"));
        assertEquals(5, excl.blameIndex(LIBRARY_THEN_APP));
    }

    @Test
    void blameIndexOverClassNamesAgreesWithFrames() {
        String[] names = new String[LIBRARY_THEN_APP.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = LIBRARY_THEN_APP[i].getClassName();
        }
        for (FramePolicy p : List.of(new FramePolicy(List.of("com.acme.orders"), List.of()),
                new FramePolicy(List.of(), List.of()), new FramePolicy(List.of("com.acme"), List.of("com.acme")))) {
            assertEquals(p.blameIndex(LIBRARY_THEN_APP), p.blameIndex(names));
        }
    }

    @Test
    void noBlameableFrameGivesMinusOne() {
        StackTraceElement[] jdkOnly = {f("java.lang.Thread", "start", 800), f("java.lang.ref.Reference", "x", 1)};
        FramePolicy p = new FramePolicy(List.of("com.acme"), List.of());
        assertEquals(-1, p.blameIndex(jdkOnly));
        assertEquals(-1, p.fallbackIndex(jdkOnly));
        StackTraceElement[] libOnly = {f("java.lang.Thread", "start", 800), f("org.lib.pool.Pool", "grow", 1)};
        assertEquals(-1, p.blameIndex(libOnly));
        assertEquals(1, p.fallbackIndex(libOnly));
        assertEquals(-1, p.blameIndex(new StackTraceElement[0]));
    }
}
