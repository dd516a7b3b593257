package io.threadleak.junit.samples;

import org.junit.jupiter.api.Test;

/** Sample: no annotation; checked only with auto-detection on. */
public class UnannotatedSample {

    @Test
    void leaks() {
        Thread t = Samples.parked("unannotated-leak");
        Samples.line = Samples.here(); t.start();
    }
}
