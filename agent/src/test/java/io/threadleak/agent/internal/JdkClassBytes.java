package io.threadleak.agent.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The class files of one JDK, read from its {@code lib/modules} through that JDK's jrt file system. */
final class JdkClassBytes implements AutoCloseable {

    /** The JDK 25 the project tests against, when this machine has it. */
    static final Path JDK25 = Path.of(System.getProperty("threadleak.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64"));

    private final String label;
    private final FileSystem jrt;

    private JdkClassBytes(String label, FileSystem jrt) {
        this.label = label;
        this.jrt = jrt;
    }

    /** The JDK running the tests. */
    static JdkClassBytes current() {
        return new JdkClassBytes("jdk" + Runtime.version().feature(), FileSystems.getFileSystem(URI.create("jrt:/")));
    }

    /** Another JDK, by its java home. */
    static JdkClassBytes of(String label, Path javaHome) {
        try {
            return new JdkClassBytes(label, FileSystems.newFileSystem(URI.create("jrt:/"),
                    Map.of("java.home", javaHome.toString())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean exists(Path javaHome) {
        return Files.isRegularFile(javaHome.resolve("lib/modules"));
    }

    /** The bytes of a {@code java.base} class ({@code java/lang/Thread}), or {@code null} if it has none. */
    byte[] read(String internalName) throws IOException {
        Path file = jrt.getPath("/modules/java.base/" + internalName + ".class");
        return Files.exists(file) ? Files.readAllBytes(file) : null;
    }

    @Override
    public void close() throws IOException {
        if (jrt != FileSystems.getFileSystem(URI.create("jrt:/"))) {
            jrt.close();
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
