package io.threadleak.core.jfr;

import io.threadleak.core.report.Report;
import io.threadleak.core.sample.Sample;
import java.util.function.Consumer;

/**
 * Emits the monitor's findings as JDK Flight Recorder events, so JDK Mission Control shows them on its
 * timeline: {@code io.threadleak.Suspect} for each new, grown and resolved suspect of a report, and
 * {@code io.threadleak.SiteCounts} per creation site at every sample. Called on the sampler thread only.
 * Costs nothing but a check per call while no recording runs; on a runtime without {@code jdk.jfr} it does
 * nothing at all; if emitting ever fails it says so once and stops.
 */
public interface JfrEvents {

    /** Does nothing. */
    JfrEvents NONE = new JfrEvents() {
        @Override
        public void sampled(Sample sample) {
        }

        @Override
        public void reported(Report report) {
        }
    };

    void sampled(Sample sample);

    void reported(Report report);

    /**
     * Whether the JVM's flight recorder has been started (a recording runs, or ran): asked without starting it.
     * Until then the agent loads no event class, so a JVM that never records pays nothing for JFR, not even the
     * recorder's own start-up (a few hundred classes), which registering an event class would cause.
     */
    static boolean recorderStarted() {
        return Recorder.started();
    }

    /** Asks {@code jdk.jfr.FlightRecorder.isInitialized()} by name: this interface must not link jdk.jfr. */
    final class Recorder {
        private static final java.lang.reflect.Method IS_INITIALIZED = find();

        private Recorder() {
        }

        private static java.lang.reflect.Method find() {
            if (ModuleLayer.boot().findModule("jdk.jfr").isEmpty()) {
                return null;
            }
            try {
                return Class.forName("jdk.jfr.FlightRecorder").getMethod("isInitialized");
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return null;
            }
        }

        static boolean started() {
            try {
                return IS_INITIALIZED != null && (Boolean) IS_INITIALIZED.invoke(null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return false;
            }
        }
    }

    /**
     * The events, or {@link #NONE} where the runtime has no {@code jdk.jfr} module.
     *
     * @param warn told once if emitting fails
     */
    static JfrEvents create(Consumer<String> warn) {
        if (ModuleLayer.boot().findModule("jdk.jfr").isEmpty()) {
            return NONE;
        }
        try {
            // by name: this interface must not link against the classes that name jdk.jfr types
            Object emitter = Class.forName(JfrEvents.class.getPackageName() + ".JfrEmitter", true,
                    JfrEvents.class.getClassLoader()).getDeclaredConstructor().newInstance();
            return new Guarded((JfrEvents) emitter, warn);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            warn.accept("JFR events are off: " + e);
            return NONE;
        }
    }

    /** Stops emitting after the first failure, which it tells once. */
    final class Guarded implements JfrEvents {
        private final JfrEvents delegate;
        private final Consumer<String> warn;
        private volatile boolean off;

        Guarded(JfrEvents delegate, Consumer<String> warn) {
            this.delegate = delegate;
            this.warn = warn;
        }

        @Override
        public void sampled(Sample sample) {
            if (!off) {
                try {
                    delegate.sampled(sample);
                } catch (Throwable e) {
                    fail(e);
                }
            }
        }

        @Override
        public void reported(Report report) {
            if (!off) {
                try {
                    delegate.reported(report);
                } catch (Throwable e) {
                    fail(e);
                }
            }
        }

        private void fail(Throwable e) {
            off = true;
            warn.accept("JFR events failed and are off for the rest of the run: " + e);
        }
    }
}
