package io.threadleak.core.rules;

import io.threadleak.core.sample.Sample;
import io.threadleak.core.sample.ServerProcess;
import io.threadleak.core.sample.ThreadSnapshot;
import io.threadleak.core.site.CreationSite;
import io.threadleak.core.site.FramePolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code EXIT_BLOCKED}: the program's work is done but the JVM cannot exit. It fires when all of these hold:
 * <ol>
 *   <li>{@code main} returned at least {@code exitAfter} ago;</li>
 *   <li>the JVM is not already exiting ({@code System.exit}, a signal: no thread runs the JDK's shutdown
 *       sequence), so shutdown-hook threads and what they start are never blamed;</li>
 *   <li>the process does not serve ({@link ServerProcess}): no thread waits for connections in a server's accept
 *       or dispatch loop and the process holds no listening socket. A service whose {@code main} returned after
 *       starting its server is waiting for requests, not blocked;</li>
 *   <li>non-daemon threads, other than JDK threads and the agent's, are alive.</li>
 * </ol>
 * One suspect per creation site of such threads.
 */
public final class ExitBlockedRule implements Rule {

    private final long exitAfterNanos;
    private final int exemplars;
    private final FramePolicy policy;
    private final ServerProcess server;

    public ExitBlockedRule(long exitAfterNanos, int exemplars, FramePolicy policy) {
        this(exitAfterNanos, exemplars, policy, new ServerProcess());
    }

    public ExitBlockedRule(long exitAfterNanos, int exemplars, FramePolicy policy, ServerProcess server) {
        this.exitAfterNanos = exitAfterNanos;
        this.exemplars = exemplars;
        this.policy = policy;
        this.server = server;
    }

    @Override
    public List<Suspect> evaluate(Sample sample) {
        if (sample.mainEndedNanos() < 0 || sample.nanos() - sample.mainEndedNanos() < exitAfterNanos) {
            return List.of();
        }
        Map<String, List<ThreadSnapshot>> groups = new LinkedHashMap<>();
        for (ThreadSnapshot s : sample.threads()) {
            if (exiting(s)) {
                return List.of();
            }
            if (!s.daemon() && !s.exempt() && !s.virtual() && !shutdownHook(s)) {
                groups.computeIfAbsent(Blames.groupKey(s, policy), k -> new ArrayList<>()).add(s);
            }
        }
        if (groups.isEmpty() || server.evidence(sample.threads(), sample.nanos()) != null) {
            return List.of();
        }
        List<Suspect> out = new ArrayList<>();
        long agoMillis = (sample.nanos() - sample.mainEndedNanos()) / 1_000_000;
        for (Map.Entry<String, List<ThreadSnapshot>> e : groups.entrySet()) {
            List<ThreadSnapshot> threads = e.getValue();
            ThreadSnapshot first = threads.get(0);
            out.add(new Suspect("EXIT_BLOCKED " + e.getKey(), RuleName.EXIT_BLOCKED, "thread", Blames.site(first),
                    Blames.blame(first, policy), threads.size(), Blames.states(threads), first.waitsOn(), null,
                    sample.mainEndedNanos(), threads.subList(0, Math.min(exemplars, threads.size())),
                    evidence(first, agoMillis)));
        }
        return out;
    }

    /** A thread running the JDK's shutdown sequence: the JVM is exiting already. */
    private static boolean exiting(ThreadSnapshot s) {
        for (StackTraceElement f : s.stack()) {
            String c = f.getClassName();
            if (c.equals("java.lang.Shutdown") || c.equals("java.lang.ApplicationShutdownHooks")) {
                return true;
            }
        }
        return false;
    }

    /** A shutdown hook's thread: started by the JDK's {@code ApplicationShutdownHooks} at exit. */
    private static boolean shutdownHook(ThreadSnapshot s) {
        for (CreationSite site = s.site(); site != null; site = site.parent()) {
            for (StackTraceElement f : site.frames()) {
                if (f.getClassName().equals("java.lang.ApplicationShutdownHooks")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> evidence(ThreadSnapshot first, long agoMillis) {
        List<String> lines = new ArrayList<>();
        lines.add("main returned " + agoMillis + " ms ago; non-daemon threads from here keep the JVM alive");
        lines.add("the process does not serve: no thread waits for connections and it holds no listening socket");
        if (Blames.workerOf(first) != null) {
            lines.add(Blames.workerOf(first) + ": shut it down when done");
        }
        return lines;
    }
}
