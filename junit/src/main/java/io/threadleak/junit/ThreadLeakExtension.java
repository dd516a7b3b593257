package io.threadleak.junit;

import io.threadleak.api.Leftover;
import io.threadleak.api.ThreadLeakScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;

/**
 * Fails a test whose threads, executors or timers outlive it: see {@link ThreadLeakCheck}. Register it with
 * {@code @ThreadLeakCheck}, {@code @ExtendWith(ThreadLeakExtension.class)}, a {@code @RegisterExtension} field built
 * with {@link #builder()}, or auto-detection ({@code junit.jupiter.extensions.autodetection.enabled=true}).
 * Registered more than once for a test (an annotation and auto-detection), it checks once, with the settings of
 * all registrations.
 *
 * <p>With the agent each test runs in a scope ({@link ThreadLeakScope}) opened before its {@code @BeforeEach}
 * methods on the thread that runs it and closed after its {@code @AfterEach} methods; what it created is known by
 * creation, so tests can run in parallel, and a fork-join worker that runs another test while it waits nests that
 * test's scope inside. What the test left alive is then waited for, up to the settle time, by joining its threads;
 * what is still alive fails the test.
 */
public final class ThreadLeakExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ThreadLeakExtension.class);
    private static final String CLASS_CHECK = "classCheck";
    private static final String TEST_CHECK = "testCheck";
    private static final String ATTACHED = "attached";
    private static final String GIVEN = "given:";

    /** What a builder set, or {@code null} for the annotation's and auto-detection's instance. */
    private final Options.Given given;

    /** The instance {@code @ThreadLeakCheck}, {@code @ExtendWith} and auto-detection make: settings from the
     *  annotations and the configuration. */
    public ThreadLeakExtension() {
        this(null);
    }

    private ThreadLeakExtension(Options.Given given) {
        this.given = given;
    }

    /** Settings for a {@code @RegisterExtension} field. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void beforeAll(ExtensionContext ctx) {
        remember(ctx);
        Options o = options(ctx, false);
        if (!o.enabled || !o.perClass || ctx.getStore(NS).get(CLASS_CHECK) != null) {
            return; // an enclosing class's check (or another registration) covers it already
        }
        Check check = open(ctx, className(ctx));
        if (check != null) {
            ctx.getStore(NS).put(CLASS_CHECK, check);
        }
    }

    @Override
    public void beforeEach(ExtensionContext ctx) {
        remember(ctx);
        ExtensionContext.Store store = ctx.getStore(NS);
        Check classCheck = (Check) store.get(CLASS_CHECK);
        if (classCheck != null) {
            if (store.get(ATTACHED + ctx.getUniqueId()) == null) {
                store.put(ATTACHED + ctx.getUniqueId(), classCheck.attach());
            }
            return;
        }
        Options o = options(ctx, true);
        if (!o.enabled || o.perClass || store.get(TEST_CHECK + ctx.getUniqueId()) != null) {
            return;
        }
        Check check = open(ctx, testName(ctx));
        if (check != null) {
            store.put(TEST_CHECK + ctx.getUniqueId(), check);
        }
    }

    @Override
    public void afterEach(ExtensionContext ctx) throws Exception {
        ExtensionContext.Store store = ctx.getStore(NS);
        AutoCloseable attached = (AutoCloseable) store.remove(ATTACHED + ctx.getUniqueId());
        if (attached != null) {
            attached.close();
        }
        Check check = (Check) store.remove(TEST_CHECK + ctx.getUniqueId());
        if (check != null) {
            finish(ctx, check, options(ctx, true), testName(ctx));
        }
    }

    @Override
    public void afterAll(ExtensionContext ctx) {
        Check check = (Check) ctx.getStore(NS).remove(CLASS_CHECK);
        if (check != null) {
            finish(ctx, check, options(ctx, false), className(ctx));
        }
    }

    /** Opens a check by the agent, or by comparing threads when the agent is absent and tests run sequentially. */
    private static Check open(ExtensionContext ctx, String name) {
        if (ThreadLeakScope.agentLoaded()) {
            return new Check.ByAgent(name);
        }
        boolean parallel = ctx.getConfigurationParameter("junit.jupiter.execution.parallel.enabled")
                .map(v -> v.strip().equalsIgnoreCase("true")).orElse(false);
        String warning = parallel ? Fallback.PARALLEL : Fallback.NO_AGENT;
        if (Fallback.warnOnce(warning)) {
            ctx.publishReportEntry("threadleak.warning", warning);
        }
        return parallel ? null : new Check.ByDiff();
    }

    private static void finish(ExtensionContext ctx, Check check, Options o, String name) {
        check.close();
        List<Leftover> all = check.leftovers();
        List<Leftover> left = notAllowed(all, o);
        if (!left.isEmpty()) {
            long waited = Settler.settle(left, o.settle);
            int before = left.size();
            all = check.leftovers();
            left = notAllowed(all, o);
            ctx.publishReportEntry("threadleak.settle", "waited " + waited / 1_000_000 + " ms for " + before
                    + " leftover(s); " + left.size() + " still alive");
        }
        reportAllowed(ctx, all, o);
        if (o.expectLeak) {
            if (left.isEmpty()) {
                throw new AssertionFailedError(name + " was expected to leak (expectLeak) but nothing it created is "
                        + "alive " + o.settle.toMillis() + " ms after it ended");
            }
            ctx.publishReportEntry("threadleak.expectedLeak", summary(left));
            return;
        }
        if (!left.isEmpty()) {
            throw new AssertionFailedError(LeakMessage.format(name, left, o.settle, check.byAgent()));
        }
    }

    private static AllowRule allowing(Leftover l, Options o) {
        for (AllowRule r : o.allow) {
            if (r.allows(l)) {
                return r;
            }
        }
        return null;
    }

    /** The leftovers no allow rule allows, and that JUnit did not create for itself. */
    private static List<Leftover> notAllowed(List<Leftover> leftovers, Options o) {
        List<Leftover> out = new ArrayList<>();
        for (Leftover l : leftovers) {
            if (!junitsOwn(l) && (o.allow.isEmpty() || allowing(l, o) == null)) {
                out.add(l);
            }
        }
        return out;
    }

    /**
     * Created by JUnit itself, while the test ran: its timeout watcher (a pool shared by every test with
     * {@code @Timeout}, made by the first one), and whatever else the engine starts for its own use. The blame frame
     * is the first non-JDK frame of the creation stack, so it is JUnit's only when no code of the test or of a library
     * the test called is closer to the thread start.
     */
    private static boolean junitsOwn(Leftover l) {
        return l.blame().startsWith("org.junit.");
    }

    /** Names what allow rules allowed in a report entry: an allowed leftover stays visible. */
    private static void reportAllowed(ExtensionContext ctx, List<Leftover> leftovers, Options o) {
        List<String> allowed = new ArrayList<>();
        for (Leftover l : leftovers) {
            AllowRule rule = o.allow.isEmpty() ? null : allowing(l, o);
            if (rule != null) {
                allowed.add(l.kind() + " \"" + l.name() + "\" by " + rule);
            }
        }
        if (!allowed.isEmpty()) {
            ctx.publishReportEntry("threadleak.allowed", String.join("; ", allowed));
        }
    }

    private static String summary(List<Leftover> left) {
        List<String> parts = new ArrayList<>();
        for (Leftover l : left) {
            parts.add(l.kind() + " \"" + l.name() + "\" created at " + l.blame());
        }
        return String.join("; ", parts);
    }

    // ---- settings ---------------------------------------------------------------------------------------------

    /** Notes this registration's builder settings in the context, for whichever registration checks. */
    private void remember(ExtensionContext ctx) {
        if (given == null) {
            return;
        }
        ExtensionContext.Store store = ctx.getStore(NS);
        String key = GIVEN + ctx.getUniqueId();
        synchronized (ThreadLeakExtension.class) {
            @SuppressWarnings("unchecked")
            List<Options.Given> list = (List<Options.Given>) store.get(key);
            if (list == null) {
                list = Collections.synchronizedList(new ArrayList<>());
                store.put(key, list);
            }
            if (!list.contains(given)) {
                list.add(given);
            }
        }
    }

    private static Options options(ExtensionContext ctx, boolean forTest) {
        List<Options.Given> builders = new ArrayList<>();
        List<ExtensionContext> chain = new ArrayList<>();
        for (ExtensionContext c = ctx; c != null; c = c.getParent().orElse(null)) {
            chain.add(0, c);
        }
        for (ExtensionContext c : chain) {
            @SuppressWarnings("unchecked")
            List<Options.Given> list = (List<Options.Given>) ctx.getStore(NS).get(GIVEN + c.getUniqueId());
            if (list != null) {
                synchronized (list) {
                    builders.addAll(list);
                }
            }
        }
        ThreadLeakCheck onClass = ctx.getTestClass().flatMap(ThreadLeakExtension::onClass).orElse(null);
        ThreadLeakCheck onMethod = forTest ? ctx.getTestMethod()
                .flatMap(m -> AnnotationSupport.findAnnotation(m, ThreadLeakCheck.class)).orElse(null) : null;
        return Options.resolve(ctx::getConfigurationParameter, builders, onClass, onMethod);
    }

    /** The annotation on the class, its super classes (it is {@code @Inherited}) or its enclosing classes. */
    private static Optional<ThreadLeakCheck> onClass(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            Optional<ThreadLeakCheck> a = AnnotationSupport.findAnnotation(k, ThreadLeakCheck.class);
            if (a.isPresent()) {
                return a;
            }
        }
        return Optional.empty();
    }

    private static String testName(ExtensionContext ctx) {
        String method = ctx.getTestMethod().map(m -> m.getName() + "()").orElse(ctx.getDisplayName());
        String display = ctx.getDisplayName();
        String name = ctx.getTestClass().map(Class::getSimpleName).orElse("?") + "." + method;
        return display.equals(method) ? name : name + " [" + display + "]";
    }

    private static String className(ExtensionContext ctx) {
        return ctx.getTestClass().map(Class::getName).orElse(ctx.getDisplayName());
    }

    /** Settings of a {@code @RegisterExtension} field; annotations on the class or method still override them. */
    public static final class Builder {
        private final Options.Given given = new Options.Given();

        Builder() {
        }

        /** A scope per test (the default). */
        public Builder perTest() {
            given.scope = ThreadLeakCheck.Scope.TEST;
            return this;
        }

        /** One scope for the whole class, checked after its {@code @AfterAll} methods. */
        public Builder perClass() {
            given.scope = ThreadLeakCheck.Scope.CLASS;
            return this;
        }

        /** How long to wait for leftovers to end (default 1 s); waiting returns as soon as they ended. */
        public Builder settle(Duration settle) {
            if (settle.isNegative()) {
                throw new IllegalArgumentException("settle must not be negative: " + settle);
            }
            given.settle = settle;
            return this;
        }

        /** Allow rules, in the agent's suppression rule format, each with a reason (see {@link ThreadLeakCheck#allow}).
         *  @throws IllegalArgumentException naming what is wrong with a rule */
        public Builder allow(String... rules) {
            for (String r : rules) {
                AllowRule.parseAll(Objects.requireNonNull(r, "rule"));
                given.allow.add(r);
            }
            return this;
        }

        /** Every test must leave something alive (see {@link ThreadLeakCheck#expectLeak}). */
        public Builder expectLeak() {
            given.expectLeak = true;
            return this;
        }

        public ThreadLeakExtension build() {
            Options.Given copy = new Options.Given();
            copy.scope = given.scope;
            copy.settle = given.settle;
            copy.allow.addAll(given.allow);
            copy.expectLeak = given.expectLeak;
            return new ThreadLeakExtension(copy);
        }
    }
}
