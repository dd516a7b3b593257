package io.threadleak.agent;

import io.threadleak.agent.internal.AgentInstaller;
import io.threadleak.agent.internal.BootstrapJar;
import java.lang.instrument.Instrumentation;

/**
 * Entry points of the agent jar. A trampoline that cannot hurt the host: whatever goes wrong is reported in one
 * line on standard error and the application carries on without the agent.
 */
public final class ThreadLeakAgent {

    private ThreadLeakAgent() {
    }

    /** {@code -javaagent:threadleak-agent.jar[=options]}. */
    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    /** Dynamic attach ({@code java -jar threadleak-agent.jar attach <pid>}). */
    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    private static void start(String args, Instrumentation inst, boolean attached) {
        try {
            // first, before any class that refers to the bridge is linked
            BootstrapJar.inject(inst);
            AgentInstaller.install(args, inst, attached);
        } catch (Throwable t) {
            System.err.println("threadleak: agent not started, the application runs without it: " + t);
        }
    }
}
