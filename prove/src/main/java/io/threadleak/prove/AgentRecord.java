package io.threadleak.prove;

import com.sun.tools.attach.VirtualMachine;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Hands the result to the threadleak agent running in the target, if there is one, so that its reports (log, JSON,
 * HTML, MXBean) mark the {@code STUCK} and {@code DEADLOCK} suspects the dump proved or not. Goes through the
 * agent's MXBean ({@code io.threadleak:type=ThreadLeak}, operation {@code recordProof}) over the same local JMX
 * connection the dump used: nothing is loaded into the target, and a target without the agent is left alone.
 */
final class AgentRecord {

    static final String BEAN = "io.threadleak:type=ThreadLeak";

    private AgentRecord() {
    }

    /** Records {@code json} in the target's agent; returns one line saying what happened. Never throws. */
    static String record(long pid, String json) {
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            String address;
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MBeanServerConnection mbs = jmx.getMBeanServerConnection();
                ObjectName name = new ObjectName(BEAN);
                if (!mbs.isRegistered(name)) {
                    return "the threadleak agent's MXBean is not registered in " + pid
                            + " (agent not loaded, or not yet): its reports do not show this proof";
                }
                mbs.invoke(name, "recordProof", new Object[] {json}, new String[] {String.class.getName()});
                return "recorded in the threadleak agent of " + pid + ": its reports mark the STUCK and DEADLOCK"
                        + " suspects after its next sample";
            }
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return "could not record the proof in the threadleak agent of " + pid + ": " + cause;
        }
    }
}
