package io.threadleak.agent.internal;

import java.io.IOException;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/**
 * Guesses the application's packages from the main class: {@code sun.java.command} names the main class or
 * the jar, whose manifest names it. Behind common launchers (Spring Boot's) the real main class is
 * {@code Start-Class}. Test runners and IDE launchers reveal nothing: then the guess is empty and any
 * non-JDK, non-excluded frame may be blamed.
 */
public final class AppPackages {

    private static final List<String> LAUNCHERS = List.of(
            "org.springframework.boot.loader.", "org.apache.maven.surefire.", "org.junit.platform.console.",
            "com.intellij.rt.", "com.sun.tools.javac.launcher.", "org.gradle.", "org.eclipse.jdt.internal.junit", "worker.org.gradle.");

    private AppPackages() {
    }

    /** The package of the main class named by a {@code sun.java.command} value, or an empty list. */
    public static List<String> guess(String javaCommand) {
        if (javaCommand == null || javaCommand.isBlank()) {
            return List.of();
        }
        String first = javaCommand.trim().split("\\s+")[0];
        String main = first.endsWith(".jar") ? mainOfJar(first) : first;
        if (main == null) {
            return List.of();
        }
        int slash = main.indexOf('/');
        if (slash >= 0) {
            main = main.substring(slash + 1);
        }
        for (String launcher : LAUNCHERS) {
            if (main.startsWith(launcher)) {
                return List.of();
            }
        }
        int dot = main.lastIndexOf('.');
        return dot <= 0 ? List.of() : List.of(main.substring(0, dot));
    }

    private static String mainOfJar(String path) {
        try (JarFile jar = new JarFile(path)) {
            if (jar.getManifest() == null) {
                return null;
            }
            Attributes a = jar.getManifest().getMainAttributes();
            String start = a.getValue("Start-Class");
            return start != null ? start : a.getValue(Attributes.Name.MAIN_CLASS);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
