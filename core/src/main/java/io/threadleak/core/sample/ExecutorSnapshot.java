package io.threadleak.core.sample;

import io.threadleak.core.registry.ExecutorRecord;

/**
 * One live {@code ThreadPoolExecutor} as one sample saw it (only the JDK's own executor classes are asked).
 *
 * @param record     its record
 * @param poolSize   worker threads now
 * @param active     workers running a task now
 * @param queued     tasks waiting in its queue
 * @param completed  tasks completed so far
 * @param starving   tasks are queued, every worker is busy, and none completed since the previous sample
 */
public record ExecutorSnapshot(
        ExecutorRecord record,
        int poolSize,
        int active,
        int queued,
        long completed,
        boolean starving) {
}
