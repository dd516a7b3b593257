package io.threadleak.agent.cli;

import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import io.threadleak.agent.ThreadLeakAgent;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.util.List;

/**
 * {@code java -jar threadleak-agent.jar list | attach <pid> [options]}: loads the agent into a running JVM.
 * The agent's output then appears in that JVM's standard error. {@code report <pid>} and {@code status <pid>}
 * ask a JVM where the agent runs for its current report or state ({@link ReportCommand}); {@code prove <pid>}
 * proves which of a JVM's waiting threads can never wake.
 */
public final class AgentCli {

    private AgentCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && args[0].equals("list")) {
            for (VirtualMachineDescriptor vm : VirtualMachine.list()) {
                out.println(vm.id() + "  " + (vm.displayName().isEmpty() ? "(no name)" : vm.displayName()));
            }
            return 0;
        }
        if ((args.length == 2 || args.length == 3) && args[0].equals("attach")) {
            return attach(args[1], args.length == 3 ? args[2] : "", out, err);
        }
        if (args.length >= 1 && args[0].equals("report")) {
            return ReportCommand.report(List.of(args).subList(1, args.length), out, err);
        }
        if (args.length >= 1 && args[0].equals("status")) {
            return ReportCommand.status(List.of(args).subList(1, args.length), out, err);
        }
        if (args.length >= 1 && args[0].equals("prove")) {
            return prove(args, out, err);
        }
        err.println("usage: java -jar threadleak-agent.jar list");
        err.println("       java -jar threadleak-agent.jar attach <pid> [key=value,...]");
        err.println("       " + ReportCommand.USAGE_REPORT);
        err.println("       " + ReportCommand.USAGE_STATUS);
        err.println("       java -jar threadleak-agent.jar prove <pid> [--format text|json] [--strict] [--keep-dump] [--no-record]");
        err.println("options are those of -javaagent:threadleak-agent.jar=key=value,... (see README)");
        return 2;
    }

    /**
     * {@code prove <pid>}: heap-dumps the target and proves which waiting threads can never wake (docs/proven.md).
     * The command and its heap-dump library live in the jar's isolated part, loaded here, in this JVM only.
     */
    private static int prove(String[] args, PrintStream out, PrintStream err) {
        try {
            ClassLoader loader = ThreadLeakAgent.newCommandLoader();
            Method run = Class.forName("io.threadleak.prove.ProveCommand", true, loader)
                    .getMethod("run", List.class, PrintStream.class, PrintStream.class);
            return (int) run.invoke(null, List.of(args), out, err);
        } catch (InvocationTargetException e) {
            err.println("threadleak: prove failed: " + e.getCause());
            return 1;
        } catch (ReflectiveOperationException | IOException | URISyntaxException | RuntimeException | LinkageError e) {
            err.println("threadleak: prove is not available in this jar: " + e);
            return 1;
        }
    }

    private static int attach(String pid, String options, PrintStream out, PrintStream err) {
        if (!pid.matches("\\d+")) {
            err.println("threadleak: '" + pid + "' is not a process id; 'list' shows the JVMs you can attach to");
            return 2;
        }
        String jar;
        try {
            jar = new File(AgentCli.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        } catch (URISyntaxException | RuntimeException e) {
            err.println("threadleak: cannot find the agent jar: " + e);
            return 1;
        }
        try {
            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                vm.loadAgent(jar, options);
            } finally {
                vm.detach();
            }
        } catch (AttachNotSupportedException e) {
            err.println("threadleak: cannot attach to " + pid + ": " + e.getMessage()
                    + " (same user? is it a JVM? 'list' shows the JVMs you can attach to)");
            return 1;
        } catch (AgentLoadException | IOException e) {
            err.println("threadleak: attached to " + pid + " but loading the agent failed: " + e);
            return 1;
        } catch (com.sun.tools.attach.AgentInitializationException e) {
            err.println("threadleak: the agent failed to start in " + pid + ": " + e.getMessage());
            return 1;
        }
        out.println("threadleak: attached to " + pid + "; its reports go to that JVM's standard error");
        return 0;
    }
}
