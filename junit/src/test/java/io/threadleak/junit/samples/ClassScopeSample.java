package io.threadleak.junit.samples;

import io.threadleak.junit.ThreadLeakCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Sample: one scope for the class. A thread one test starts and a later one stops is fine; what @BeforeAll starts
 *  and nothing stops fails the class. */
@ThreadLeakCheck(scope = ThreadLeakCheck.Scope.CLASS, settle = "20ms")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class ClassScopeSample {

    static Thread shared;

    @BeforeAll
    static void startSomething() {
        Thread t = Samples.parked("class-scope-leak");
        Samples.line = Samples.here(); t.start();
    }

    @Test
    @Order(1)
    void starts() {
        shared = Samples.parked("class-scope-shared");
        shared.start();
    }

    @Test
    @Order(2)
    void stops() throws InterruptedException {
        shared.interrupt();
        shared.join();
    }

    @AfterAll
    static void nothingStopsTheBeforeAllThread() {
    }
}
