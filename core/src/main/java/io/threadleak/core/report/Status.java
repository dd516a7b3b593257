package io.threadleak.core.report;

/** How a suspect changed since the previous report. */
public enum Status {
    /** Not in the previous report. */
    NEW,
    /** Covers more things than when last reported. */
    GROWN,
    /** Reported before and not grown: not repeated in full. */
    ONGOING,
    /** Reported before and gone now. */
    RESOLVED
}
