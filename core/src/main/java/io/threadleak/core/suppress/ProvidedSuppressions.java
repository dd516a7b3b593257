package io.threadleak.core.suppress;

import io.threadleak.spi.SuppressionProvider;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Suppressions that libraries ship: {@link SuppressionProvider} services and
 * {@code META-INF/threadleak/suppressions.txt} resources, found through the given class loaders. Called once, on
 * the agent's sampler thread (never on an application thread); every failure is caught and becomes a problem line.
 */
final class ProvidedSuppressions {

    static final String RESOURCE = "META-INF/threadleak/suppressions.txt";

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

    private static void services(ClassLoader loader, SuppressionParser parser, List<String> problems,
                                 Map<String, Boolean> seen) {
        try {
            Iterator<SuppressionProvider> it = ServiceLoader.load(SuppressionProvider.class, loader).iterator();
            while (true) {
                SuppressionProvider p;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    p = it.next();
                } catch (Throwable e) {
                    problems.add("suppression provider failed to load: " + e);
                    continue;
                }
                String name = p.getClass().getName();
                if (seen.put(name, true) != null) {
                    continue;
                }
                try {
                    parser.parse("provider " + name, new ArrayList<>(p.rules()), false);
                } catch (Throwable e) {
                    problems.add("suppression provider " + name + " failed: " + e);
                }
            }
        } catch (Throwable e) {
            problems.add("suppression providers could not be listed: " + e);
        }
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
                List<String> lines = new ArrayList<>();
                try (BufferedReader r = new BufferedReader(new InputStreamReader(url.openStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        lines.add(line);
                    }
                }
                parser.parse(url.toString(), lines, false);
            }
        } catch (Throwable e) {
            problems.add("suppression resources could not be read: " + e);
        }
    }
}
