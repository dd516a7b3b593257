package io.threadleak.core.testutil;

import io.threadleak.core.Clock;
import java.time.Duration;

/** A clock that only moves when told to. */
public final class FakeClock implements Clock {

    private long nanos;
    private long millis;

    public FakeClock(long nanos, long millis) {
        this.nanos = nanos;
        this.millis = millis;
    }

    public FakeClock() {
        this(1_000_000_000L, 1_700_000_000_000L);
    }

    public void advance(Duration d) {
        nanos += d.toNanos();
        millis += d.toMillis();
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public long currentTimeMillis() {
        return millis;
    }
}
