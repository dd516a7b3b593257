package io.threadleak.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the agent jar may bring into a host: only its own (relocated) classes, no service files that a host's
 * {@code ServiceLoader} could find, a manifest that makes it an agent and a CLI, and the bootstrap bridge only as a
 * nested jar for the bootstrap class loader. The class loader that serves the jar to the application sees only the
 * trampoline and the CLI as classes; everything else is under {@code inst/} as {@code .classdata}, for the agent's own
 * class loader.
 */
class AgentJarContentTest {

    private static final String INST = "inst/";
    private static final String NESTED = INST + "threadleak-bootstrap.jar";
    /** The only classes at the jar's root: what the system class loader can load from it. */
    private static final List<String> ROOT_CLASSES = List.of("io/threadleak/agent/AgentClassLoader.class",
            "io/threadleak/agent/ThreadLeakAgent.class", "io/threadleak/agent/cli/AgentCli.class",
            "io/threadleak/agent/cli/ReportCommand$BeanCall.class", "io/threadleak/agent/cli/ReportCommand.class");

    private static List<String> entries;
    private static Manifest manifest;

    @BeforeAll
    static void readJar() throws IOException {
        try (JarFile jar = new JarFile(ForkedJvm.agentJar().toFile())) {
            entries = Collections.list(jar.entries()).stream().map(JarEntry::getName).toList();
            manifest = jar.getManifest();
        }
    }

    @Test
    void everyEntryIsOurs() {
        List<String> foreign = entries.stream()
                .map(e -> e.startsWith(INST) ? e.substring(INST.length()) : e)
                .filter(e -> !e.startsWith("io/threadleak/") && !e.startsWith("META-INF/") && !e.isEmpty())
                .filter(e -> !e.equals("io/")) // the directory entry leading to io/threadleak/
                .filter(e -> !e.equals("threadleak-bootstrap.jar"))
                .toList();
        assertEquals(List.of(), foreign, "entries outside [inst/]io/threadleak/, META-INF/ and " + NESTED);
        for (String prefix : List.of("net/bytebuddy/", "org/slf4j/", "ch/qos/")) {
            List<String> unshaded = entries.stream().filter(e -> e.startsWith(prefix) || e.startsWith(INST + prefix))
                    .toList();
            assertEquals(List.of(), unshaded, "unrelocated third-party classes under " + prefix);
        }
        List<String> services = entries.stream()
                .filter(e -> e.startsWith("META-INF/services/") || e.startsWith(INST + "META-INF/services/")).toList();
        assertEquals(List.of(), services, "service files a host's ServiceLoader would find");
        assertTrue(entries.contains(NESTED), "no nested " + NESTED + " in " + entries.size() + " entries");
    }

    @Test
    void onlyTheTrampolineAndTheCliAreClassesTheApplicationsLoaderCanSee() {
        List<String> rootClasses = entries.stream().filter(e -> e.endsWith(".class") && !e.startsWith(INST)).sorted()
                .toList();
        assertEquals(ROOT_CLASSES, rootClasses, "classes at the root of the agent jar");
        List<String> stray = entries.stream().filter(e -> e.startsWith(INST) && e.endsWith(".class")).toList();
        assertEquals(List.of(), stray, "class files under inst/ must be .classdata");
        for (String part : List.of("io/threadleak/core/ThreadLeakMonitor", "io/threadleak/agent/internal/AgentStarter",
                "io/threadleak/agent/AgentOptions", "io/threadleak/shaded/net/bytebuddy/jar/asm/ClassReader",
                "io/threadleak/shaded/ch/qos/logback/classic/LoggerContext")) {
            assertTrue(entries.contains(INST + part + ".classdata"), part + " is not in the agent's class loader part");
        }
    }

    @Test
    void manifestMakesItAnAgentAndACli() {
        assertNotNull(manifest, "no manifest");
        Attributes a = manifest.getMainAttributes();
        for (String key : List.of("Premain-Class", "Agent-Class", "Main-Class")) {
            String value = a.getValue(key);
            assertNotNull(value, "manifest lacks " + key);
            String classFile = value.replace('.', '/') + ".class";
            assertTrue(entries.contains(classFile), key + " names " + value + ", which is not in the jar");
        }
        assertEquals("true", a.getValue("Can-Retransform-Classes"), "Can-Retransform-Classes");
        assertEquals("true", a.getValue("Can-Redefine-Classes"), "Can-Redefine-Classes");
    }

    @Test
    void bootstrapClassesOnlyInTheNestedJar() throws IOException {
        List<String> direct = entries.stream()
                .filter(e -> e.startsWith("io/threadleak/bootstrap/") || e.startsWith(INST + "io/threadleak/bootstrap/"))
                .toList();
        assertEquals(List.of(), direct, "bootstrap classes directly in the agent jar (they must load from the"
                + " bootstrap loader only)");

        List<String> nested = new ArrayList<>();
        try (JarFile jar = new JarFile(ForkedJvm.agentJar().toFile());
             InputStream in = jar.getInputStream(jar.getJarEntry(NESTED));
             JarInputStream nestedJar = new JarInputStream(in)) {
            for (JarEntry e = nestedJar.getNextJarEntry(); e != null; e = nestedJar.getNextJarEntry()) {
                nested.add(e.getName());
            }
        }
        assertTrue(nested.stream().anyMatch(e -> e.startsWith("io/threadleak/bootstrap/") && e.endsWith(".class")),
                "the nested " + NESTED + " holds no bootstrap classes: " + nested);
        List<String> foreign = nested.stream()
                .filter(e -> !e.endsWith("/") && !e.startsWith("META-INF/"))
                .filter(e -> !(e.startsWith("io/threadleak/bootstrap/") && e.endsWith(".class")))
                .toList();
        assertEquals(List.of(), foreign, "files other than io/threadleak/bootstrap/ classes in the nested " + NESTED);
    }
}
