package io.threadleak.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's class loader reads {@code inst/}, sees the JDK, and sees nothing of the application's class path. */
class AgentClassLoaderTest {

    @TempDir
    Path dir;

    private static byte[] classBytes(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            return in.readAllBytes();
        }
    }

    private Path jar() throws IOException {
        Path jar = dir.resolve("agent.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("inst/io/threadleak/agent/AgentOptions.classdata"));
            out.write(classBytes(AgentOptions.class));
            out.putNextEntry(new JarEntry("inst/threadleak-bootstrap.jar"));
            out.write("nested".getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new JarEntry("io/threadleak/agent/ThreadLeakAgent.class"));
            out.write(classBytes(ThreadLeakAgent.class));
        }
        return jar;
    }

    @Test
    void definesItsOwnCopiesFromInstAndSeesOnlyTheJdk() throws Exception {
        Path jar = jar();
        try (JarFile file = new JarFile(jar.toFile())) {
            AgentClassLoader loader = new AgentClassLoader(file, jar.toUri().toURL());
            Class<?> options = loader.loadClass("io.threadleak.agent.AgentOptions");
            assertSame(loader, options.getClassLoader());
            assertNotSame(AgentOptions.class, options, "its own copy, not the class path's");
            assertNotNull(options.getPackage());
            assertSame(ClassLoader.getPlatformClassLoader(), loader.getParent());
            assertSame(java.lang.instrument.Instrumentation.class,
                    loader.loadClass("java.lang.instrument.Instrumentation"), "the JDK");
            assertThrows(ClassNotFoundException.class, () -> loader.loadClass("io.threadleak.agent.ThreadLeakAgent"),
                    "classes at the jar's root are the class path's, not the agent's");
            assertThrows(ClassNotFoundException.class, () -> loader.loadClass(AgentClassLoaderTest.class.getName()),
                    "nothing of the application's class path");

            URL nested = loader.getResource("threadleak-bootstrap.jar");
            assertNotNull(nested, "resources come from inst/");
            try (InputStream in = nested.openStream()) {
                assertEquals("nested", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            assertNull(loader.getResource("io/threadleak/agent/AgentOptions.class"), "no class files as resources");
            assertNull(loader.getResource("io/threadleak/agent/ThreadLeakAgent.class"));
        }
    }
}
