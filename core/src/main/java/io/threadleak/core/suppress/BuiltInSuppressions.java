package io.threadleak.core.suppress;

import java.util.ArrayList;
import java.util.List;

/**
 * What the agent knows about the threads of the JDK, test frameworks and widely used libraries: threads that live
 * as long as their owner by design. Each rule holds only while the threads are idle (waiting for work, sleeping, or
 * running no application code): the same thread stuck in application code is still reported. Rules are written
 * in the suppression file format ({@link SuppressionParser}). {@code EXIT_BLOCKED} is left out for library threads
 * on purpose: a client that never closes its library's non-daemon threads does keep the JVM alive.
 */
final class BuiltInSuppressions {

    private static final String LIBRARY_RULES = "rule=STUCK,GROWING,STARVED,CANCEL_IGNORED ";

    /** The rules, one line each. */
    static final List<String> LINES = List.of(
            // the JDK
            "thread=ForkJoinPool.commonPool-worker-* reason=\"the JDK's common pool: its workers live as long as the JVM\"",
            "thread=JFR* reason=\"Java Flight Recorder's own threads\"",
            "created=jdk.jfr.* reason=\"threads Java Flight Recorder starts\"",
            "thread=HttpClient-*-SelectorManager reason=\"the JDK HttpClient's selector: lives as long as its client\"",
            // test frameworks
            "thread=junit-jupiter-timeout-watcher reason=\"JUnit 5's timeout watcher, one per test run\"",
            "thread=\"Time-limited test\" reason=\"JUnit 4's timeout thread\"",
            "created=org.junit.* rule=EXIT_BLOCKED reason=\"a test framework thread; the test runner ends the JVM\"",
            "thread=testcontainers-* reason=\"Testcontainers' own threads (Ryuk, log consumers)\"",
            "thread=ducttape-* reason=\"Testcontainers' retry threads\"",
            // libraries, not for EXIT_BLOCKED
            LIBRARY_RULES + "created=io.netty.* thread=* current=io.netty.* reason=\"Netty's event loops and "
                    + "cleaner, idle between events\"",
            LIBRARY_RULES + "thread=*nioEventLoopGroup-* reason=\"Netty's event loop threads, idle between events\"",
            LIBRARY_RULES + "thread=globalEventExecutor-* reason=\"Netty's global event executor\"",
            LIBRARY_RULES + "thread=*-exec-* current=org.apache.tomcat.* reason=\"Tomcat's request workers waiting for "
                    + "requests\"",
            LIBRARY_RULES + "thread=Catalina-utility-* reason=\"Tomcat's utility pool\"",
            LIBRARY_RULES + "thread=qtp* current=org.eclipse.jetty.* reason=\"Jetty's thread pool waiting for jobs\"",
            LIBRARY_RULES + "thread=\"OkHttp *\" reason=\"OkHttp's connection pool and task runner\"",
            LIBRARY_RULES + "thread=\"Okio Watchdog\" reason=\"Okio's timeout watchdog\"",
            LIBRARY_RULES + "thread=kafka-* current=org.apache.kafka.* reason=\"Kafka client network and heartbeat "
                    + "threads\"",
            LIBRARY_RULES + "thread=\"HikariPool-* housekeeper\" reason=\"HikariCP's housekeeper\"",
            LIBRARY_RULES + "thread=grpc-* current=io.grpc.* reason=\"gRPC's executors and timers\"",
            LIBRARY_RULES + "thread=lettuce-* reason=\"Lettuce's event loops\"");

    private BuiltInSuppressions() {
    }

    /** The built-in rules, idle-only. */
    static List<SuppressionRule> rules() {
        List<SuppressionRule> out = new ArrayList<>();
        for (SuppressionRule r : new SuppressionParser().parse("built-in", LINES, false).rules()) {
            out.add(new SuppressionRule(r.source(), r.text(), r.rules(), r.thread(), r.created(), r.current(),
                    r.reason(), true, false));
        }
        return out;
    }
}
