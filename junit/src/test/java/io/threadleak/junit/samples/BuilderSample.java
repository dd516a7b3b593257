package io.threadleak.junit.samples;

import io.threadleak.junit.ThreadLeakExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sample: the extension registered with a builder. */
public class BuilderSample {

    @RegisterExtension
    static final ThreadLeakExtension LEAKS = ThreadLeakExtension.builder()
            .settle(Duration.ofMillis(20))
            .allow("thread=builder-allowed-* reason=\"sample\"")
            .build();

    @Test
    void leaks() {
        Thread t = Samples.parked("builder-leak");
        Samples.line = Samples.here(); t.start();
    }

    @Test
    void allowed() {
        Samples.parked("builder-allowed-1").start();
    }
}
