package io.threadleak.core.jmx;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

/**
 * Registers the MXBean in the platform MBean server, late on purpose: creating that server initialises
 * {@code java.util.logging} and, before the application set its log manager (JBoss, WildFly), breaks its logging.
 * So the bean is registered late, never in {@code premain}: as soon as the application (or a JMX client through the
 * attach API) has created the server itself, or else once {@code delayNanos} passed. The sampler only decides when;
 * the registration runs on a short-lived agent thread of its own, because creating the platform server can take
 * a second or more (it starts the JDK's management), and the sampler must not miss its samples meanwhile.
 * The per-site rank beans ({@link ThreadLeakSiteMXBean}) are registered with it, all at once, never later.
 */
public final class JmxRegistration {

    private final ThreadLeakBean bean;
    private final long notBeforeNanos;
    private final Consumer<String> warn;
    private final Function<Runnable, Thread> ownThread;
    private boolean done;

    /**
     * @param startNanos when the agent started (monotonic)
     * @param delayNanos how long after it the agent creates the server itself if nobody did
     */
    public JmxRegistration(ThreadLeakBean bean, long startNanos, long delayNanos, Consumer<String> warn) {
        this(bean, startNanos, delayNanos, warn, null);
    }

    /**
     * @param ownThread makes an agent thread (daemon, never tracked, not started) to register on; {@code null}
     *                  registers on the calling thread
     */
    public JmxRegistration(ThreadLeakBean bean, long startNanos, long delayNanos, Consumer<String> warn,
                           Function<Runnable, Thread> ownThread) {
        this.ownThread = ownThread;
        this.bean = bean;
        this.notBeforeNanos = startNanos + delayNanos;
        this.warn = warn;
    }

    /** Called at each sample; registers once when the time has come. Failures are told once. */
    public void tick(long nowNanos) {
        if (done) {
            return;
        }
        try {
            // findMBeanServer lists the servers already made (the platform one included) without making one
            if (nowNanos - notBeforeNanos < 0 && MBeanServerFactory.findMBeanServer(null).isEmpty()) {
                return;
            }
            done = true;
            if (ownThread != null) {
                ownThread.apply(this::register).start();
            } else {
                register();
            }
        } catch (Throwable e) {
            done = true;
            warn.accept("no JMX bean " + ThreadLeakMXBean.NAME + ": " + e);
        }
    }

    private void register() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            server.registerMBean(bean, new ObjectName(ThreadLeakMXBean.NAME));
            for (Map.Entry<String, ThreadLeakSiteMXBean> rank : bean.ranks().entrySet()) {
                server.registerMBean(rank.getValue(), new ObjectName(rank.getKey()));
            }
        } catch (Throwable e) {
            done = true;
            warn.accept("no JMX bean " + ThreadLeakMXBean.NAME + ": " + e);
        }
    }
}
