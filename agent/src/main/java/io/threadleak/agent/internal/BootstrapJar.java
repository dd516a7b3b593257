package io.threadleak.agent.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import net.bytebuddy.jar.asm.ClassReader;

/**
 * Puts the bridge classes ({@code io.threadleak.bootstrap.*}) into the bootstrap class loader, where
 * instrumented {@code java.lang.Thread} can see them. They travel inside the agent jar as a nested jar
 * (not as classes), so no other class loader can ever load a second copy.
 *
 * <p>The classes are defined directly in the bootstrap loader, through the JDK's internal {@code Unsafe}; to
 * call it, {@code jdk.internal.misc} is exported to the agent's module only: the unnamed module of the agent's own
 * class loader, never the class path's. Appending a jar to the bootstrap search path
 * would also work, but the JVM then prints a warning and turns off class data sharing for the application's
 * classes, a start-up cost for the host; that path is only the fallback.
 */
public final class BootstrapJar {

    static final String RESOURCE = "threadleak-bootstrap.jar";
    private static final String BRIDGE = "io.threadleak.bootstrap.ThreadLeakBridge";

    private BootstrapJar() {
    }

    /** Makes the bridge visible to the bootstrap loader, unless an earlier attach already did. */
    public static void inject(Instrumentation inst) throws IOException {
        if (alreadyOnBootstrap()) {
            return;
        }
        byte[] jar = readNestedJar();
        try {
            defineInBootLoader(inst, classes(jar));
            return;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // fall back to the search path below
        }
        Path file = Files.createTempFile("threadleak-bootstrap-", ".jar");
        file.toFile().deleteOnExit();
        Files.write(file, jar);
        inst.appendToBootstrapClassLoaderSearch(new JarFile(file.toFile()));
    }

    /**
     * Defines the classes with the JDK's internal {@code Unsafe.defineClass}, exported for this purpose to the
     * agent's module only (not the terminally deprecated {@code sun.misc.Unsafe}, which warns on JDK 24+).
     */
    private static void defineInBootLoader(Instrumentation inst, Map<String, byte[]> classes)
            throws ReflectiveOperationException {
        Module javaBase = Object.class.getModule();
        Module agent = BootstrapJar.class.getModule();
        inst.redefineModule(javaBase, Set.of(), Map.of("jdk.internal.misc", Set.of(agent)), Map.of(), Set.of(),
                Map.of());
        Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
        Method define = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, ProtectionDomain.class);
        for (Map.Entry<String, byte[]> c : classes.entrySet()) {
            define.invoke(unsafe, c.getKey(), c.getValue(), 0, c.getValue().length, null, null);
        }
    }

    private static byte[] readNestedJar() throws IOException {
        try (InputStream in = BootstrapJar.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is missing from the agent jar");
            }
            return in.readAllBytes();
        }
    }

    /**
     * The class files of the nested jar by class name, each after the classes and interfaces it extends from the
     * same jar: defining a class resolves its supertypes at once, and the bootstrap loader cannot find ours.
     */
    static Map<String, byte[]> classes(byte[] jar) throws IOException {
        Map<String, byte[]> all = new LinkedHashMap<>();
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            for (JarEntry e; (e = in.getNextJarEntry()) != null; ) {
                if (!e.getName().endsWith(".class") || e.getName().endsWith("module-info.class")) {
                    continue;
                }
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                in.transferTo(bytes);
                String name = e.getName().replace('/', '.').substring(0, e.getName().length() - ".class".length());
                all.put(name, bytes.toByteArray());
            }
        }
        Map<String, byte[]> ordered = new LinkedHashMap<>();
        for (String name : all.keySet()) {
            addAfterSupertypes(name, all, ordered);
        }
        return ordered;
    }

    private static void addAfterSupertypes(String name, Map<String, byte[]> all, Map<String, byte[]> ordered) {
        byte[] bytes = all.get(name);
        if (bytes == null || ordered.containsKey(name)) {
            return;
        }
        ClassReader reader = new ClassReader(bytes);
        List<String> supertypes = new ArrayList<>(List.of(reader.getInterfaces()));
        if (reader.getSuperName() != null) {
            supertypes.add(reader.getSuperName());
        }
        for (String supertype : supertypes) {
            addAfterSupertypes(supertype.replace('/', '.'), all, ordered);
        }
        ordered.put(name, bytes);
    }

    private static boolean alreadyOnBootstrap() {
        try {
            Class.forName(BRIDGE, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
