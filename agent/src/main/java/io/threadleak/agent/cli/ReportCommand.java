package io.threadleak.agent.cli;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * {@code report <pid> [--format text|json|html] [--out FILE]} and {@code status <pid>}: asks a running JVM for
 * threadleak's current report or state through its MXBean, over the attach API's local JMX connection (which
 * loads no agent into the target, so no JEP 451 warning there). The CLI must run as the target's user.
 */
final class ReportCommand {

    static final String USAGE_REPORT = "java -jar threadleak-agent.jar report <pid> [--format text|json|html] [--out FILE]";
    static final String USAGE_STATUS = "java -jar threadleak-agent.jar status <pid>";

    /** The agent's sampler thread: its presence tells the agent is loaded before its bean is registered. */
    private static final String SAMPLER = "threadleak-sampler";
    /** How long to wait for the bean of a loaded agent (it registers at its next sample). */
    private static final long BEAN_WAIT_MILLIS = 15_000;
    private static final String BEAN = "io.threadleak:type=ThreadLeak";

    private ReportCommand() {
    }

    static int report(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.println("usage: " + USAGE_REPORT);
            return 2;
        }
        String format = "text";
        Path file = null;
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            if ((a.equals("--format") || a.equals("--out")) && i + 1 == args.size()) {
                err.println("threadleak: " + a + " needs a value; usage: " + USAGE_REPORT);
                return 2;
            } else if (a.equals("--format")) {
                format = args.get(++i);
                if (!List.of("text", "json", "html").contains(format)) {
                    err.println("threadleak: --format expects text, json or html, got '" + format + "'");
                    return 2;
                }
            } else if (a.equals("--out")) {
                file = Path.of(args.get(++i));
            } else {
                err.println("threadleak: unknown argument '" + a + "'; usage: " + USAGE_REPORT);
                return 2;
            }
        }
        String operation = "report" + Character.toUpperCase(format.charAt(0)) + format.substring(1);
        Path target = file;
        String chosen = format;
        return withBean(args.get(0), err, (conn, name) -> {
            String text = (String) conn.invoke(name, operation, new Object[0], new String[0]);
            if (target == null) {
                out.print(text);
                out.flush();
            } else {
                Files.writeString(target, text, StandardCharsets.UTF_8);
                err.println("threadleak: wrote the " + chosen + " report of " + args.get(0) + " to " + target);
            }
            return 0;
        });
    }

    static int status(List<String> args, PrintStream out, PrintStream err) {
        if (args.size() != 1) {
            err.println("usage: " + USAGE_STATUS);
            return 2;
        }
        String pid = args.get(0);
        return withBean(pid, err, (conn, name) -> {
            out.println("threadleak is loaded in " + pid + " since " + conn.getAttribute(name, "StartedAt"));
            out.println("options: " + conn.getAttribute(name, "Options"));
            out.println("latest sample: " + conn.getAttribute(name, "SampledAt") + "; live threads "
                    + conn.getAttribute(name, "LiveThreads") + ", executors " + conn.getAttribute(name, "LiveExecutors")
                    + ", timers " + conn.getAttribute(name, "LiveTimers"));
            StringBuilder rules = new StringBuilder();
            for (Object row : ((TabularData) conn.getAttribute(name, "SuspectsPerRule")).values()) {
                CompositeData c = (CompositeData) row;
                if (Integer.valueOf(0).equals(c.get("value"))) {
                    continue; // every rule is a key, for metrics; status names those that hold
                }
                rules.append(rules.length() == 0 ? " (" : ", ").append(c.get("key")).append(' ').append(c.get("value"));
            }
            out.println("suspects: " + conn.getAttribute(name, "SuspectCount") + (rules.length() == 0 ? "" : rules + ")"));
            return 0;
        });
    }

    interface BeanCall {
        int call(MBeanServerConnection conn, ObjectName name) throws Exception;
    }

    private static int withBean(String pid, PrintStream err, BeanCall call) {
        if (!pid.matches("\\d+")) {
            err.println("threadleak: '" + pid + "' is not a process id; 'list' shows the JVMs you can ask");
            return 2;
        }
        String address;
        try {
            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
        } catch (AttachNotSupportedException | IOException e) {
            err.println("threadleak: cannot reach " + pid + ": " + e.getMessage()
                    + " (same user? is it a JVM? 'list' shows the JVMs you can ask)");
            return 1;
        }
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            MBeanServerConnection conn = connector.getMBeanServerConnection();
            ObjectName name = new ObjectName(BEAN);
            if (!conn.isRegistered(name)) {
                if (!hasSampler(conn)) {
                    err.println("threadleak is not loaded in " + pid + "; load it with: java -jar "
                            + "threadleak-agent.jar attach " + pid + " (or start that JVM with -javaagent:threadleak-agent.jar)");
                    return 3;
                }
                // loaded: it registers its bean at its next sample, now that the JMX agent made the server
                long deadline = System.nanoTime() + BEAN_WAIT_MILLIS * 1_000_000;
                while (!conn.isRegistered(name)) {
                    if (System.nanoTime() > deadline) {
                        err.println("threadleak is loaded in " + pid + " but its JMX bean did not appear within "
                                + BEAN_WAIT_MILLIS / 1000 + " s (an older agent version?)");
                        return 1;
                    }
                    Thread.sleep(100);
                }
            }
            return call.call(conn, name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            err.println("threadleak: asking " + pid + " failed: " + cause);
            return 1;
        }
    }

    private static boolean hasSampler(MBeanServerConnection conn) throws IOException {
        ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(conn, ManagementFactory.THREAD_MXBEAN_NAME,
                ThreadMXBean.class);
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith(SAMPLER)) {
                return true;
            }
        }
        return false;
    }
}
