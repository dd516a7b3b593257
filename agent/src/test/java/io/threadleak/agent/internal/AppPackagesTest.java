package io.threadleak.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppPackagesTest {

    @TempDir
    Path dir;

    private Path jar(String name, String mainClass, String startClass) throws IOException {
        Path file = dir.resolve(name);
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (mainClass != null) {
            m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        }
        if (startClass != null) {
            m.getMainAttributes().putValue("Start-Class", startClass);
        }
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.putNextEntry(new JarEntry("README.txt"));
            jar.write("hello".getBytes());
            jar.closeEntry();
        }
        return file;
    }

    @Test
    void mainClassGivesItsPackage() {
        assertEquals(List.of("com.acme.orders"), AppPackages.guess("com.acme.orders.OrdersApp"));
        assertEquals(List.of("com.acme.orders"), AppPackages.guess("  com.acme.orders.OrdersApp --port 8080 x.y.Z"));
    }

    @Test
    void moduleSlashClassFormGivesTheClassPackage() {
        assertEquals(List.of("com.acme.orders"), AppPackages.guess("acme.orders/com.acme.orders.OrdersApp arg"));
    }

    @Test
    void jarWithMainClass() throws IOException {
        Path jar = jar("service.jar", "com.acme.svc.Main", null);
        assertEquals(List.of("com.acme.svc"), AppPackages.guess(jar + " --spring.profiles.active=prod"));
    }

    @Test
    void springBootJarUsesStartClass() throws IOException {
        Path jar = jar("boot.jar", "org.springframework.boot.loader.launch.JarLauncher", "com.acme.boot.BootApp");
        assertEquals(List.of("com.acme.boot"), AppPackages.guess(jar.toString()));
    }

    @Test
    void launcherJarWithoutStartClassRevealsNothing() throws IOException {
        Path jar = jar("launcher.jar", "org.springframework.boot.loader.JarLauncher", null);
        assertEquals(List.of(), AppPackages.guess(jar.toString()));
    }

    @Test
    void jarWithoutMainClassOrMissingJarRevealsNothing() throws IOException {
        assertEquals(List.of(), AppPackages.guess(jar("lib.jar", null, null).toString()));
        assertEquals(List.of(), AppPackages.guess(dir.resolve("missing.jar").toString()));
    }

    @Test
    void launchersRevealNothing() {
        for (String cmd : new String[] {
            "org.apache.maven.surefire.booter.ForkedBooter /tmp/surefire 1 2",
            "org.junit.platform.console.ConsoleLauncher --scan-classpath",
            "com.intellij.rt.junit.JUnitStarter -ideVersion5 x",
            "worker.org.gradle.process.internal.worker.GradleWorkerMain 'Gradle Test Executor 1'",
            "org.gradle.wrapper.GradleWrapperMain build",
            "org.eclipse.jdt.internal.junit.runner.RemoteTestRunner -port 1",
            "org.springframework.boot.loader.launch.JarLauncher",
        }) {
            assertEquals(List.of(), AppPackages.guess(cmd), cmd);
        }
    }

    @Test
    void nullBlankOrDefaultPackageRevealNothing() {
        assertEquals(List.of(), AppPackages.guess(null));
        assertEquals(List.of(), AppPackages.guess(""));
        assertEquals(List.of(), AppPackages.guess("   "));
        assertEquals(List.of(), AppPackages.guess("Main arg"));
    }

    @Test
    void sourceFileLaunchRevealsNoPackage() {
        assertEquals(List.of(), AppPackages.guess("jdk.compiler/com.sun.tools.javac.launcher.Main Leak.java"));
        assertEquals(List.of(), AppPackages.guess("jdk.compiler/com.sun.tools.javac.launcher.SourceLauncher Leak.java"));
    }
}
