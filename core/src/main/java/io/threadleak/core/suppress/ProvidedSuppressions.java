package io.threadleak.core.suppress;

import io.threadleak.spi.SuppressionProvider;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Suppressions that libraries ship: {@link SuppressionProvider} services and
 * {@code META-INF/threadleak/suppressions.txt} resources, found through the given class loaders. Called once, on
 * the agent's sampler thread (never on an application thread); every failure is caught and becomes a problem line.
 */
final class ProvidedSuppressions {

    static final String RESOURCE = "META-INF/threadleak/suppressions.txt";
    static final String SERVICES = "META-INF/services/" + SuppressionProvider.class.getName();

    private ProvidedSuppressions() {
    }

    /** Parses what the loaders provide into {@code parser}. */
    static void load(List<ClassLoader> loaders, SuppressionParser parser, List<String> problems) {
        Map<ClassLoader, Boolean> seen = new IdentityHashMap<>();
        Map<String, Boolean> seenProviders = new java.util.HashMap<>();
        Map<String, Boolean> seenResources = new java.util.HashMap<>();
        for (ClassLoader loader : loaders) {
            if (loader == null || seen.put(loader, true) != null) {
                continue;
            }
            services(loader, parser, problems, seenProviders);
            resources(loader, parser, problems, seenResources);
        }
    }

    /**
     * Providers listed in {@code META-INF/services/io.threadleak.spi.SuppressionProvider}, instantiated through the
     * loader that lists them and asked for their rules by name. Not through {@code ServiceLoader}: the agent's
     * classes live in a class loader of their own, so the interface a library implements (from its own class path)
     * is never the agent's class, and a type check would reject every provider.
     */
    private static void services(ClassLoader loader, SuppressionParser parser, List<String> problems,
                                 Map<String, Boolean> seen) {
        try {
            Enumeration<URL> urls = loader.getResources(SERVICES);
            while (urls.hasMoreElements()) {
                for (String name : lines(urls.nextElement())) {
                    int hash = name.indexOf('#');
                    String cls = (hash < 0 ? name : name.substring(0, hash)).trim();
                    if (cls.isEmpty() || seen.put(cls, true) != null) {
                        continue;
                    }
                    try {
                        parser.parse("provider " + cls, rulesOf(Class.forName(cls, true, loader)), false);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        problems.add("suppression provider " + cls + " failed: " + e.getCause());
                    } catch (Throwable e) {
                        problems.add("suppression provider " + cls + " failed: " + e);
                    }
                }
            }
        } catch (Throwable e) {
            problems.add("suppression providers could not be listed: " + e);
        }
    }

    /** Calls a provider's public no-argument constructor and its {@code rules()}; keeps the strings it returns. */
    private static List<String> rulesOf(Class<?> provider) throws ReflectiveOperationException {
        boolean implementsSpi = false;
        for (Class<?> c = provider; c != null && !implementsSpi; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                implementsSpi |= i.getName().equals(SuppressionProvider.class.getName());
            }
        }
        if (!implementsSpi) {
            throw new ClassCastException("does not implement " + SuppressionProvider.class.getName());
        }
        Object instance = provider.getConstructor().newInstance();
        Object rules = provider.getMethod("rules").invoke(instance);
        List<String> out = new ArrayList<>();
        if (rules instanceof List) {
            for (Object rule : (List<?>) rules) {
                if (rule instanceof String) {
                    out.add((String) rule);
                }
            }
        }
        return out;
    }

    private static List<String> lines(URL url) throws java.io.IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static void resources(ClassLoader loader, SuppressionParser parser, List<String> problems,
                                  Map<String, Boolean> seen) {
        try {
            Enumeration<URL> urls = loader.getResources(RESOURCE);
            while (urls.hasMoreElements()) {
                URL url = urls.nextElement();
                if (seen.put(url.toString(), true) != null) {
                    continue;
                }
                parser.parse(url.toString(), lines(url), false);
            }
        } catch (Throwable e) {
            problems.add("suppression resources could not be read: " + e);
        }
    }
}
