package io.threadleak.core.sample;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether the process serves: some thread waits for connections in a server's accept or dispatch loop, or (on
 * Linux) the process holds a listening TCP socket. A serving process whose {@code main} returned is not done with
 * its work, it is waiting for requests: the JDK {@code HttpServer}, embedded servlet containers, Netty servers
 * and launchers (a Spring Boot application's {@code main} returns right after start) all look like that.
 *
 * <p>Stack evidence needs no system call; the socket check reads {@code /proc/self/net/tcp{,6}} and the symbolic
 * links of {@code /proc/self/fd}, at most once a second, and only when a rule asks (a program whose {@code main}
 * returned while non-daemon threads run). The agent opens no socket itself. Sampler thread only.
 */
public final class ServerProcess {

    /** Frames (class.method) of a thread that accepts or dispatches connections: a server's threads. */
    private static final Set<String> SERVER_FRAMES = Set.of(
            // the JDK: blocking accept, server socket channels, com.sun.net.httpserver's dispatcher
            "java.net.ServerSocket.accept",
            "java.net.ServerSocket.implAccept",
            "sun.nio.ch.NioSocketImpl.accept",
            "sun.nio.ch.ServerSocketChannelImpl.accept",
            "sun.net.httpserver.ServerImpl$Dispatcher.run",
            // Tomcat (also inside Spring Boot): acceptor, poller, the await thread of StandardServer
            "org.apache.tomcat.util.net.Acceptor.run",
            "org.apache.tomcat.util.net.NioEndpoint$Poller.run",
            "org.apache.catalina.core.StandardServer.await",
            // Jetty: acceptors and the selector of a server connector
            "org.eclipse.jetty.server.AbstractConnector$Acceptor.run",
            "org.eclipse.jetty.server.ServerConnector.accept",
            // Netty: the boss loop accepting a child channel
            "io.netty.channel.socket.nio.NioServerSocketChannel.doReadMessages",
            // Undertow / XNIO acceptors
            "org.xnio.nio.QueuedNioTcpServer.handleReady",
            "org.xnio.nio.NioTcpServer.accept");

    private static final long SOCKET_CHECK_PERIOD_NANOS = 1_000_000_000L;
    private static final int MAX_FDS = 65_536;

    private final Path proc;
    private long checkedAtNanos;
    private boolean checked;
    private String listening;

    public ServerProcess() {
        this(Path.of("/proc/self"));
    }

    /** @param proc the {@code /proc/<pid>} directory to read (tests hand in a fake) */
    public ServerProcess(Path proc) {
        this.proc = proc;
    }

    /**
     * Why the process counts as serving, one line for the evidence, or {@code null} when it does not.
     *
     * @param threads the sampled threads (daemon or not: a server's acceptor is often a daemon)
     * @param nanos   the sample's time, to rate-limit the socket check
     */
    public String evidence(List<ThreadSnapshot> threads, long nanos) {
        for (ThreadSnapshot t : threads) {
            String frame = serverFrame(t.stack());
            if (frame != null) {
                return "\"" + t.name() + "\" #" + t.id() + " waits for connections in " + frame;
            }
        }
        if (!checked || nanos - checkedAtNanos >= SOCKET_CHECK_PERIOD_NANOS) {
            checked = true;
            checkedAtNanos = nanos;
            listening = listeningSocket();
        }
        return listening;
    }

    /** The first server frame of a stack, or {@code null}. */
    static String serverFrame(StackTraceElement[] stack) {
        if (stack == null) {
            return null;
        }
        for (StackTraceElement f : stack) {
            String m = f.getClassName() + "." + f.getMethodName();
            if (SERVER_FRAMES.contains(m)) {
                return m;
            }
        }
        return null;
    }

    /** "the process listens on port N", or {@code null} (also when /proc cannot be read: not Linux). */
    String listeningSocket() {
        try {
            Set<String> inodes = new HashSet<>();
            for (String table : List.of("net/tcp", "net/tcp6")) {
                Path file = proc.resolve(table);
                if (Files.isReadable(file)) {
                    listening(Files.readAllLines(file), inodes);
                }
            }
            if (inodes.isEmpty()) {
                return null;
            }
            int n = 0;
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                for (Path fd : fds) {
                    if (++n > MAX_FDS) {
                        break;
                    }
                    String target;
                    try {
                        target = Files.readSymbolicLink(fd).toString();
                    } catch (IOException | UnsupportedOperationException e) {
                        continue;
                    }
                    if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) {
                        return "the process holds a listening TCP socket (" + target + ")";
                    }
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Collects the inodes of LISTEN sockets (state 0A) of one /proc/net table. */
    private static void listening(List<String> lines, Set<String> inodes) {
        for (int i = 1; i < lines.size(); i++) {
            String[] cols = lines.get(i).trim().split("\\s+");
            if (cols.length > 9 && cols[3].equals("0A") && !cols[9].equals("0")) {
                inodes.add(cols[9]);
            }
        }
    }
}
