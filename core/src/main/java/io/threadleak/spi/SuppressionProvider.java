package io.threadleak.spi;

import java.util.List;

/**
 * Lets a library ship suppressions for its own threads. Implement it, list the class in
 * {@code META-INF/services/io.threadleak.spi.SuppressionProvider}, and return rules in the format of a
 * {@code suppress=} file, one per element, each with a {@code reason}:
 * <pre>
 * public final class AcmeSuppressions implements SuppressionProvider {
 *     public List&lt;String&gt; rules() {
 *         return List.of("thread=acme-flusher-* current=com.acme.client.Flusher.run reason=\"acme's flusher, one per client\"");
 *     }
 * }
 * </pre>
 * The agent loads providers once, on its own sampler thread, from the system class loader and the main thread's
 * context class loader; a provider that fails to load or throws is skipped with one line on standard error. It
 * finds them by this interface's name, not its class: the agent's classes live in a class loader of their own, so
 * the copy of this interface a library compiles against is never the agent's.
 * Keep {@link #rules()} free of side effects: it is the only application code the agent ever runs.
 *
 * <p>A library that cannot depend on the agent ships the same lines, without code, in a resource
 * {@code META-INF/threadleak/suppressions.txt}.
 */
public interface SuppressionProvider {

    /** The rules, in the suppression file format. */
    List<String> rules();
}
