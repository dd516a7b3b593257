package io.threadleak.core;

/** Time source, replaceable in tests so rules can be driven in milliseconds of real time. */
public interface Clock {

    /** Monotonic time for durations. */
    long nanoTime();

    /** Wall-clock time for reports. */
    long currentTimeMillis();

    /** The system clock. */
    Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long currentTimeMillis() {
            return System.currentTimeMillis();
        }
    };
}
