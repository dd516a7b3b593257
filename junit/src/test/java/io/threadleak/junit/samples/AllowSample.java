package io.threadleak.junit.samples;

import io.threadleak.junit.ThreadLeakCheck;
import org.junit.jupiter.api.Test;

/** Sample: leaks that allow rules allow, and tests that must leak. */
@ThreadLeakCheck(settle = "20ms", allow = "thread=allowed-by-class-* reason=\"sample: lives as long as the JVM\"")
public class AllowSample {

    @Test
    void allowedByClassRule() {
        Samples.parked("allowed-by-class-1").start();
    }

    @Test
    @ThreadLeakCheck(allow = "created=io.threadleak.junit.samples.AllowSample.allowedByMethodRule reason=\"sample\"")
    void allowedByMethodRule() {
        Samples.parked("allowed-by-method").start();
    }

    @Test
    void allowedByConfiguration() {
        Samples.parked("allowed-by-configuration").start();
    }

    @Test
    void notAllowed() {
        Samples.parked("not-allowed").start();
    }

    @Test
    @ThreadLeakCheck(expectLeak = true)
    void expectedLeak() {
        Samples.parked("expected-leak").start();
    }

    @Test
    @ThreadLeakCheck(expectLeak = true)
    void expectedLeakThatDoesNotLeak() {
    }
}
