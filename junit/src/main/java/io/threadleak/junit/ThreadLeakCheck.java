package io.threadleak.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails a test when threads, executors or timers it created are still alive after it and its {@code @AfterEach}
 * methods ended and a settle time passed. On a class: every test of the class (and of its subclasses); on a method:
 * that test, with the method's settings over the class's.
 *
 * <p>With the threadleak agent loaded ({@code -javaagent}), what a test created is known by creation, so parallel
 * execution works and the failure names the line that created each leftover. Without it, live threads are compared
 * before and after each test (sequential execution only), and a warning says how to add the agent.
 *
 * <p>Settings not given here come from a {@code @RegisterExtension} builder, then from configuration parameters
 * ({@code junit-platform.properties}): {@code threadleak.junit.scope}, {@code threadleak.junit.settle},
 * {@code threadleak.junit.allow}, {@code threadleak.junit.enabled}. See {@code docs/junit.md}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ThreadLeakExtension.class)
public @interface ThreadLeakCheck {

    /** Per test (the default) or per class; {@link Scope#DEFAULT} leaves it to the builder or configuration. Only
     *  read on the class. */
    Scope scope() default Scope.DEFAULT;

    /** How long to wait for leftovers to end after the test, as {@code 500ms}, {@code 1s}, {@code 2m}; empty for the
     *  builder's, the configuration's or the default (1 s). Waiting returns as soon as they ended. */
    String settle() default "";

    /**
     * Leftovers that are fine, in the agent's suppression rule format, each with a reason:
     * {@code thread=cache-refresher-* reason="lives as long as the JVM"},
     * {@code created=com.acme.Pool.start reason="shared pool"}; keys {@code thread}, {@code created},
     * {@code current}, {@code rule} and {@code reason}. Added to those of the builder and the configuration.
     */
    String[] allow() default {};

    /** The test must leave something alive (a test of a leak detector, a reproduction of a known leak): it fails
     *  when nothing outlives it, and passes when something does. */
    boolean expectLeak() default false;

    /** Where a scope begins and ends. */
    enum Scope {
        /** As the builder or configuration says; per test when they say nothing. */
        DEFAULT,
        /** Each test, with its {@code @BeforeEach} and {@code @AfterEach} methods. */
        TEST,
        /** The whole class, from its {@code @BeforeAll} methods to its {@code @AfterAll} methods; checked once, after
         *  them. */
        CLASS
    }
}
