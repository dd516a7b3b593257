package io.threadleak.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.security.CodeSigner;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The class loader of the agent's own code: core, the agent's internals and the relocated libraries. They are
 * stored in the agent jar under {@value #PREFIX} with the suffix {@value #CLASS_SUFFIX}, so the system class loader,
 * which serves the jar to the application's class path, never sees them as classes; only this loader defines them.
 *
 * <p>Its parent is the platform class loader: the agent sees the JDK (and the bridge in the bootstrap loader) but
 * not the application, and the application cannot see the agent. Whatever the agent opens or exports in
 * {@code java.base} goes to this loader's unnamed module, which no class-path code belongs to.
 */
final class AgentClassLoader extends ClassLoader {

    /** Where the agent's classes and resources are in the jar. */
    static final String PREFIX = "inst/";
    /** What a class file ends with there. */
    static final String CLASS_SUFFIX = ".classdata";

    static {
        registerAsParallelCapable();
    }

    private final JarFile jar;
    private final String base;
    private final ProtectionDomain domain;

    /**
     * @param jar      the agent jar, kept open for the life of the JVM (like a class path entry)
     * @param location its location
     */
    AgentClassLoader(JarFile jar, URL location) {
        this(jar, location, ClassLoader.getPlatformClassLoader());
    }

    /**
     * @param parent the platform loader for the agent; the system loader for a command line's own JVM, whose
     *               commands need the JDK's tool modules ({@code jdk.attach}), which the system loader defines
     */
    AgentClassLoader(JarFile jar, URL location, ClassLoader parent) {
        super("threadleak", parent);
        this.jar = jar;
        this.base = "jar:" + location + "!/" + PREFIX;
        this.domain = new ProtectionDomain(new CodeSource(location, (CodeSigner[]) null), null, this, null);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        JarEntry entry = jar.getJarEntry(PREFIX + name.replace('.', '/') + CLASS_SUFFIX);
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        byte[] bytes;
        try (InputStream in = jar.getInputStream(entry)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0 && getDefinedPackage(name.substring(0, dot)) == null) {
            try {
                definePackage(name.substring(0, dot), null, null, null, null, null, null, null);
            } catch (IllegalArgumentException definedMeanwhile) {
                // another thread defined it
            }
        }
        return defineClass(name, bytes, 0, bytes.length, domain);
    }

    @Override
    protected URL findResource(String name) {
        if (name.endsWith(".class") || jar.getJarEntry(PREFIX + name) == null) {
            return null;
        }
        try {
            return URI.create(base + name).toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(url));
    }
}
