package io.threadleak.core.sample;

import io.threadleak.core.registry.ExecutorRecord;
import io.threadleak.core.site.CreationSite;

/**
 * The future a thread blocks on in {@code get()}/{@code join()}, and whether anything can still complete it.
 *
 * @param future   the future, by class and identity
 * @param done     whether it is complete (a thread still blocked on a done future is about to wake up), or
 *                 {@code null} when unknown
 * @param producer what would complete it
 * @param via      how: {@code running on "w-1" #21}, {@code queued in FixedThreadPool#3 created at ...},
 *                 or why nothing will
 * @param task     for a {@code FutureTask}, the task itself; {@code null} otherwise
 * @param site     where the future was created or submitted, when recorded; else {@code null}
 * @param queuedIn the executor in whose queue its task waits, or {@code null}
 */
public record FutureView(
        WaitTarget future,
        Boolean done,
        Producer producer,
        String via,
        TaskView task,
        CreationSite site,
        ExecutorRecord queuedIn) {

    /** What can complete a future. */
    public enum Producer {
        /** Its task runs now. */
        RUNNING,
        /** Its task waits in an executor's queue. */
        QUEUED,
        /** No queued or running task of a tracked executor completes it. */
        NONE,
        /** The agent cannot tell. */
        UNKNOWN
    }

    /** One line for reports. */
    public String describe() {
        return future + (done == null ? "" : done ? " (completed)" : " (not completed)") + "; " + via
                + (site == null ? "" : "; created at " + site.blame());
    }
}
