package io.threadleak.prove;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Takes a heap dump of live objects of another JVM, with the care a dump needs: it is written into a private
 * temporary directory (owner-only), refused when the disk has less than 1.2 times the target's heap in use free,
 * the pause it causes is timed, and {@link #close()} deletes it.
 *
 * <p>Reaches the target through the attach API's local management agent and one JMX connection, over which it
 * also reads the target's version and its threads (lock owners, stacks) just before the dump.
 */
final class TargetDump implements AutoCloseable {

    /** Free disk needed, as a multiple of the target's heap in use. */
    static final double DISK_FACTOR = 1.2;

    /** What the target's ThreadMXBean said about one thread just before the dump. */
    record ThreadSnapshot(long tid, String name, Thread.State state, String lock, long lockOwnerId,
                          String lockClassName, List<StackTraceElement> stack) {
    }

    final long pid;
    final Path file;
    final Path dir;
    final long pauseMillis;
    /** When the dump began (wall clock, epoch milliseconds). */
    final long dumpedAtMillis;
    final long heapUsedBytes;
    final String jdkVersion;
    final int jdkFeature;
    final Map<Long, ThreadSnapshot> threads;

    private TargetDump(long pid, Path dir, Path file, long pauseMillis, long dumpedAtMillis, long heapUsedBytes,
                       String jdkVersion, Map<Long, ThreadSnapshot> threads) {
        this.pid = pid;
        this.dumpedAtMillis = dumpedAtMillis;
        this.dir = dir;
        this.file = file;
        this.pauseMillis = pauseMillis;
        this.heapUsedBytes = heapUsedBytes;
        this.jdkVersion = jdkVersion;
        this.jdkFeature = feature(jdkVersion);
        this.threads = threads;
    }

    /** Refused or failed dumps; the message is for the user. */
    static final class DumpException extends Exception {
        private static final long serialVersionUID = 1L;

        DumpException(String message) {
            super(message);
        }

        DumpException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static TargetDump take(long pid) throws DumpException {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (Exception e) {
            throw new DumpException("cannot attach to " + pid + " (is it a running JVM of the same user?): " + e, e);
        }
        Path dir = null;
        try {
            String address = vm.startLocalManagementAgent();
            try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MBeanServerConnection mbs = jmx.getMBeanServerConnection();
                RuntimeMXBean runtime = ManagementFactory.newPlatformMXBeanProxy(mbs,
                        ManagementFactory.RUNTIME_MXBEAN_NAME, RuntimeMXBean.class);
                String version = runtime.getSystemProperties().getOrDefault("java.version", runtime.getSpecVersion());
                HotSpotDiagnosticMXBean diagnostic;
                try {
                    diagnostic = ManagementFactory.newPlatformMXBeanProxy(mbs,
                            "com.sun.management:type=HotSpotDiagnostic", HotSpotDiagnosticMXBean.class);
                    diagnostic.getVMOption("HeapDumpPath"); // fails here when the target is not HotSpot
                } catch (RuntimeException e) {
                    throw new DumpException("the target has no HotSpotDiagnosticMXBean: only HotSpot JVMs are supported", e);
                }
                MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(mbs,
                        ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
                long heapUsed = memory.getHeapMemoryUsage().getUsed();

                dir = privateDirectory();
                long free = Files.getFileStore(dir).getUsableSpace();
                if (!enoughDisk(free, heapUsed)) {
                    throw new DumpException(String.format("refused: %d MB free in %s, the target's heap holds %d MB"
                            + " in use and the dump needs up to %.1f times that", free >> 20, dir, heapUsed >> 20,
                            DISK_FACTOR));
                }
                ThreadMXBean threadBean = ManagementFactory.newPlatformMXBeanProxy(mbs,
                        ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
                Map<Long, ThreadSnapshot> threads = snapshot(threadBean.dumpAllThreads(
                        threadBean.isObjectMonitorUsageSupported(), threadBean.isSynchronizerUsageSupported()));

                Path file = dir.resolve("target-" + pid + ".hprof");
                long dumpedAt = System.currentTimeMillis();
                long start = System.nanoTime();
                diagnostic.dumpHeap(file.toString(), true);
                long pauseMillis = (System.nanoTime() - start) / 1_000_000;
                if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                }
                TargetDump dump = new TargetDump(pid, dir, file, pauseMillis, dumpedAt, heapUsed, version, threads);
                dir = null; // owned by the dump now
                return dump;
            }
        } catch (DumpException e) {
            throw e;
        } catch (Exception e) {
            throw new DumpException("cannot dump the heap of " + pid + ": " + e, e);
        } finally {
            deleteQuietly(dir);
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the target may have exited
            }
        }
    }

    /** Whether {@code free} bytes of disk leave room for a dump of a heap with {@code heapUsed} bytes in use. */
    static boolean enoughDisk(long free, long heapUsed) {
        return free >= (long) (heapUsed * DISK_FACTOR);
    }

    private static Path privateDirectory() throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempDirectory("threadleak-prove-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return Files.createTempDirectory("threadleak-prove-");
    }

    private static Map<Long, ThreadSnapshot> snapshot(ThreadInfo[] infos) {
        Map<Long, ThreadSnapshot> out = new HashMap<>();
        for (ThreadInfo info : infos) {
            if (info == null) {
                continue;
            }
            LockInfo lock = info.getLockInfo();
            out.put(info.getThreadId(), new ThreadSnapshot(info.getThreadId(), info.getThreadName(),
                    info.getThreadState(), lock == null ? null : lock.toString(), info.getLockOwnerId(),
                    lock == null ? null : lock.getClassName(), List.of(info.getStackTrace())));
        }
        return out;
    }

    static int feature(String version) {
        String v = version.startsWith("1.") ? version.substring(2) : version;
        String digits = v.split("[^0-9]", 2)[0];
        return digits.isEmpty() ? 0 : Integer.parseInt(digits);
    }

    long dumpBytes() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Deletes the dump and its directory. */
    @Override
    public void close() {
        deleteQuietly(dir);
    }

    static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort; reported by the caller if the file is still there
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
