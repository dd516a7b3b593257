package io.threadleak.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.jar.JarFile;

/**
 * Entry points of the agent jar: a trampoline that cannot hurt the host. This class, {@link AgentClassLoader} and
 * the attach CLI are the only classes of the jar the application's class loader can see; everything else is loaded
 * by the agent's own {@link AgentClassLoader}. Whatever goes wrong is reported in one line on standard error and the
 * application carries on without the agent, except with {@code strict=true}, which stops a {@code -javaagent} JVM.
 */
public final class ThreadLeakAgent {

    private static final String STARTER = "io.threadleak.agent.internal.AgentStarter";
    private static ClassLoader loader;

    private ThreadLeakAgent() {
    }

    /** {@code -javaagent:threadleak-agent.jar[=options]}. */
    public static void premain(String args, Instrumentation inst) {
        String strictFailure = start(args, inst, false);
        if (strictFailure != null) {
            System.exit(1); // strict=true, for CI: a JVM without every hook must not pass as one with them
        }
    }

    /** Dynamic attach ({@code java -jar threadleak-agent.jar attach <pid>}). */
    public static void agentmain(String args, Instrumentation inst) {
        String strictFailure = start(args, inst, true);
        if (strictFailure != null) {
            throw new IllegalStateException(strictFailure); // the attach CLI reports it
        }
    }

    /**
     * A new class loader over this jar's isolated part, for a command of the command line ({@code prove}) in the
     * command's own JVM: never the running agent's loader, and its parent is the system loader, so the command sees
     * the JDK's tool modules.
     */
    public static ClassLoader newCommandLoader() throws java.io.IOException, java.net.URISyntaxException {
        URL location = ThreadLeakAgent.class.getProtectionDomain().getCodeSource().getLocation();
        return new AgentClassLoader(new JarFile(new File(location.toURI())), location, ClassLoader.getSystemClassLoader());
    }

    /** Starts the agent in its class loader; returns why it did not start with {@code strict=true}, else null. */
    private static synchronized String start(String args, Instrumentation inst, boolean attached) {
        try {
            if (loader == null) {
                URL location = ThreadLeakAgent.class.getProtectionDomain().getCodeSource().getLocation();
                loader = new AgentClassLoader(new JarFile(new File(location.toURI())), location);
            }
            Method start = Class.forName(STARTER, true, loader)
                    .getMethod("start", String.class, Instrumentation.class, boolean.class);
            String strictFailure = (String) start.invoke(null, args, inst, attached);
            if (strictFailure != null) {
                System.err.println("threadleak: " + strictFailure);
            }
            return strictFailure;
        } catch (Throwable t) {
            Throwable cause = t instanceof InvocationTargetException && t.getCause() != null ? t.getCause() : t;
            System.err.println("threadleak: agent not started, the application runs without it: " + cause);
            return null;
        }
    }
}
