package io.threadleak.it.fixturelib;

import io.threadleak.spi.SuppressionProvider;
import java.util.List;

/** A library's suppression provider: its flusher thread waits for work by design. */
public final class AcmeSuppressions implements SuppressionProvider {

    @Override
    public List<String> rules() {
        return List.of("rule=STUCK thread=acme-flusher-* reason=\"acme's flusher waits for its next batch\"");
    }
}
