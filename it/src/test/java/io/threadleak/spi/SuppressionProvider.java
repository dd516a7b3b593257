package io.threadleak.spi;

import java.util.List;

/**
 * A library's own copy of the agent's suppression SPI, as it would come from the API jar on the library's class
 * path: the agent's interface lives in the agent's class loader, so the one a library implements is never the
 * same class. The agent finds providers by the interface's name.
 */
public interface SuppressionProvider {

    List<String> rules();
}
