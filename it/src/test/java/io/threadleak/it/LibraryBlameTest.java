package io.threadleak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.threadleak.it.fixture.FileMonitorLeakApp;
import io.threadleak.it.fixture.HousekeeperLeakApp;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Blame skips library frames: a thread a library starts on the caller's behalf is blamed at the application call
 * into the library; a thread a library's own thread starts is blamed up the chain, at the application call that
 * created the library's thread.
 */
class LibraryBlameTest {

    private static final String REQUESTS = "100";

    static Stream<Jdk> jdks() {
        return Jdk.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void commonsIoMonitorStartedPerRequestIsBlamedAtTheApplicationCall(Jdk jdk) {
        // no app=: the agent guesses io.threadleak.it.fixture from the main class on the command line
        ForkedJvm.Result r = ForkedJvm.on(jdk).named("commons-io-monitor")
                .agent(ForkedJvm.FAST_OPTIONS)
                .main(FileMonitorLeakApp.class).args(REQUESTS)
                .run();
        assertEquals(0, r.exitCode(), () -> "exit code\n" + r);
        assertTrue(r.stdout().contains("done: " + REQUESTS + " requests"), () -> "fixture did not finish\n" + r);
        JsonNode report = r.json();
        Supplier<String> context = () -> Reports.summary(report) + "\n" + r;

        String blameMethod = FileMonitorLeakApp.class.getName() + ".watchUploadDir";
        JsonNode suspect = Reports.find(report, "GROWING", blameMethod).orElse(null);
        assertNotNull(suspect, () -> "no GROWING suspect blamed at " + blameMethod + ": " + context.get());
        assertTrue(suspect.path("count").asInt() > 4, () -> "count not above the floor: " + suspect + "\n" + context.get());

        List<String> stack = Reports.strings(suspect.path("creationStack"));
        int blameIndex = suspect.path("blameIndex").asInt(-1);
        assertTrue(blameIndex >= 0 && blameIndex < stack.size(), () -> "blameIndex " + blameIndex + " outside " + stack);
        assertEquals(suspect.path("blame").asText(), stack.get(blameIndex), "blame is the frame at blameIndex");
        int threadStart = indexOf(stack, "java.lang.Thread.start(");
        int libraryCall = indexOf(stack, "org.apache.commons.io.monitor.FileAlterationMonitor.start(");
        assertTrue(threadStart >= 0, () -> "no Thread.start frame in the creation stack " + stack);
        assertTrue(libraryCall > threadStart && libraryCall < blameIndex,
                () -> "the commons-io frame must sit between Thread.start and the blame frame: " + stack
                        + ", blameIndex " + blameIndex);
        assertFalse(Reports.suspectsAndResolved(report).stream()
                        .anyMatch(s -> s.path("blame").asText().startsWith("org.apache.commons.io.")),
                () -> "a suspect is blamed at a commons-io frame: " + context.get());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void helpersStartedByALibraryThreadAreBlamedUpTheChain(Jdk jdk) {
        // io.threadleak.it.fixturelib is not inside io.threadleak.it.fixture: prefixes match whole packages
        ForkedJvm.Result r = ForkedJvm.on(jdk).named("housekeeper-chain")
                .agent(ForkedJvm.FAST_OPTIONS + ",app=io.threadleak.it.fixture")
                .main(HousekeeperLeakApp.class).args(REQUESTS)
                .run();
        assertEquals(0, r.exitCode(), () -> "exit code\n" + r);
        assertTrue(r.stdout().contains("done: " + REQUESTS + " requests"), () -> "fixture did not finish\n" + r);
        JsonNode report = r.json();
        Supplier<String> context = () -> Reports.summary(report) + "\n" + r;

        String blameMethod = HousekeeperLeakApp.class.getName() + ".startHousekeeping";
        JsonNode suspect = Reports.find(report, "GROWING", blameMethod).orElse(null);
        assertNotNull(suspect, () -> "no GROWING suspect blamed at " + blameMethod + ": " + context.get());
        assertTrue(suspect.path("count").asInt() > 4, () -> "count not above the floor: " + suspect + "\n" + context.get());

        // the helpers' own creation stack holds only library frames ...
        List<String> stack = Reports.strings(suspect.path("creationStack"));
        assertTrue(indexOf(stack, "io.threadleak.it.fixturelib.Housekeeper.startHelper(") >= 0,
                () -> "the helpers' creation stack does not show the library call: " + stack);
        assertTrue(stack.stream().noneMatch(f -> f.startsWith("io.threadleak.it.fixture.")),
                () -> "the helpers' creation stack holds an application frame, the chain is not exercised: " + stack);

        // ... so the blame is borrowed from the thread that created them: the housekeeper, started by the application
        assertEquals(-1, suspect.path("blameIndex").asInt(), () -> "blameIndex of a borrowed blame: " + suspect);
        JsonNode createdBy = suspect.path("createdBy");
        assertTrue(createdBy.isArray() && createdBy.size() > 0, () -> "createdBy is empty: " + suspect);
        JsonNode housekeeper = null;
        for (JsonNode c : createdBy) {
            if (c.path("blame").asText().startsWith(blameMethod + "(")) {
                housekeeper = c;
            }
        }
        assertNotNull(housekeeper, () -> "no creating site blamed at " + blameMethod + " in createdBy: " + createdBy);
        List<String> creatorStack = Reports.strings(housekeeper.path("creationStack"));
        int creatorBlame = housekeeper.path("blameIndex").asInt(-1);
        int housekeeperStart = indexOf(creatorStack, "io.threadleak.it.fixturelib.Housekeeper.start(");
        assertTrue(housekeeperStart >= 0 && housekeeperStart < creatorBlame,
                () -> "the library frame Housekeeper.start must sit below the creator's blame frame: " + creatorStack
                        + ", blameIndex " + creatorBlame);
    }

    private static int indexOf(List<String> stack, String framePrefix) {
        for (int i = 0; i < stack.size(); i++) {
            if (stack.get(i).startsWith(framePrefix)) {
                return i;
            }
        }
        return -1;
    }
}
