package io.threadleak.agent.internal;

import java.lang.instrument.Instrumentation;

/**
 * The entry point the trampoline ({@code io.threadleak.agent.ThreadLeakAgent}) calls inside the agent's class
 * loader. It names no bridge type: the bridge must be in the bootstrap loader before any class that refers to it
 * is linked.
 */
public final class AgentStarter {

    private AgentStarter() {
    }

    /**
     * Puts the bridge into the bootstrap loader and installs the agent.
     *
     * @return {@code null} when the agent runs; with {@code strict=true}, why it did not start
     * @throws Exception when it did not start otherwise
     */
    public static String start(String args, Instrumentation inst, boolean attached) throws Exception {
        BootstrapJar.inject(inst);
        return AgentInstaller.install(args, inst, attached);
    }
}
