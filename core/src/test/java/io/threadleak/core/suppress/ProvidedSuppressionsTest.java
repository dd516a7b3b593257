package io.threadleak.core.suppress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadleak.spi.SuppressionProvider;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvidedSuppressionsTest {

    /** A library's provider. */
    public static final class AcmeProvider implements SuppressionProvider {
        @Override
        public List<String> rules() {
            return List.of("thread=acme-flusher-* reason=\"acme's flusher\"", "thread=x");
        }
    }

    /** A provider that throws: skipped with one line. */
    public static final class BrokenProvider implements SuppressionProvider {
        @Override
        public List<String> rules() {
            throw new IllegalStateException("boom");
        }
    }

    @Test
    void servicesAndResourcesOfTheLoadersAreParsedAndFailuresAreLines(@TempDir Path dir) throws Exception {
        Path services = dir.resolve("META-INF/services/" + SuppressionProvider.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, AcmeProvider.class.getName() + "\n" + BrokenProvider.class.getName() + "\n"
                + "com.acme.Missing\n");
        Path resource = dir.resolve(ProvidedSuppressions.RESOURCE);
        Files.createDirectories(resource.getParent());
        Files.writeString(resource, "# no code needed\nrule=STUCK thread=lib-* reason=\"lib's idle thread\"\n");
        ClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());

        SuppressionParser parser = new SuppressionParser();
        List<String> problems = new ArrayList<>();
        ProvidedSuppressions.load(List.of(loader, loader), parser, problems);

        List<String> sources = parser.rules().stream().map(SuppressionRule::source).toList();
        assertEquals(2, sources.size(), () -> "rules: " + sources + ", problems: " + problems);
        assertTrue(sources.contains("provider " + AcmeProvider.class.getName() + ":1"), sources::toString);
        assertTrue(sources.stream().anyMatch(s -> s.endsWith(ProvidedSuppressions.RESOURCE + ":2")), sources::toString);
        assertEquals(1, parser.problems().size(), parser.problems()::toString);
        assertTrue(parser.problems().get(0).contains(AcmeProvider.class.getName() + ":2: no reason"),
                parser.problems().get(0));
        assertTrue(problems.stream().anyMatch(p -> p.contains(BrokenProvider.class.getName()) && p.contains("boom")),
                problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.contains("com.acme.Missing")), problems::toString);
    }
}
