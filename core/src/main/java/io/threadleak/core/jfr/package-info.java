/**
 * JDK Flight Recorder events. Only {@link io.threadleak.core.jfr.JfrEvents} may be referenced from elsewhere:
 * the classes that name {@code jdk.jfr} types are loaded by reflection, and only when the runtime has the
 * {@code jdk.jfr} module, so a runtime without it (a jlink image) never sees them.
 */
package io.threadleak.core.jfr;
