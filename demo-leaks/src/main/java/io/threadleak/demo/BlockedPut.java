package io.threadleak.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * Pitfall 2, "unbuffered channel write blocks": a producer {@code put()}s on a {@link SynchronousQueue}
 * that nobody drains any more.
 *
 * <p>Each export batch hands its records from a producer thread to a writer thread. The writer quits
 * on the first malformed record, and the producer's next {@code put()} waits for a taker that will
 * never come: the producer stays parked forever. The agent reports {@code STUCK}, blaming
 * {@link #exportBatch}.
 */
final class BlockedPut implements Scenario {

    private static final String END_OF_BATCH = "<end>";
    private static final long OFFER_TIMEOUT_MS = 100;

    @Override
    public String name() {
        return "blocked-put";
    }

    @Override
    public String rule() {
        return "STUCK";
    }

    @Override
    public String blame() {
        return BlockedPut.class.getName() + ".exportBatch";
    }

    @Override
    public String description() {
        return "producer put()s on a SynchronousQueue after its consumer quit on an error";
    }

    @Override
    public void run(boolean fixed, Duration duration) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        threads.addAll(exportBatch(1, List.of("order-1", "order-2", "", "order-4"), fixed));
        threads.addAll(exportBatch(2, List.of("order-5", " ", "order-7"), fixed));
        if (fixed) {
            for (Thread thread : threads) {
                thread.join();
            }
        }
        Thread.sleep(duration.toMillis());
    }

    /** Starts the producer and the writer of one batch; returns both threads. */
    List<Thread> exportBatch(int batchId, List<String> records, boolean fixed) {
        BlockingQueue<String> handoff = new SynchronousQueue<>();
        Thread writer = new Thread(() -> writeRecords(handoff), "export-writer-batch-" + batchId);
        Thread producer = new Thread(fixed ? () -> produceFixed(records, handoff) : () -> produce(records, handoff),
                "export-producer-batch-" + batchId);
        writer.setDaemon(true);
        producer.setDaemon(true);
        writer.start();
        producer.start();
        return List.of(writer, producer);
    }

    private static void produce(List<String> records, BlockingQueue<String> handoff) {
        try {
            for (String record : records) {
                handoff.put(record); // BUG: blocks forever once the writer has quit
            }
            handoff.put(END_OF_BATCH);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void produceFixed(List<String> records, BlockingQueue<String> handoff) {
        try {
            for (String record : records) {
                // FIX: bounded wait; no taker in time means the writer is gone, so give the batch up.
                if (!handoff.offer(record, OFFER_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
            handoff.offer(END_OF_BATCH, OFFER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void writeRecords(BlockingQueue<String> handoff) {
        try {
            for (String record = handoff.take(); !record.equals(END_OF_BATCH); record = handoff.take()) {
                if (record.isBlank()) {
                    return; // malformed record: the writer gives up, and nobody drains the queue any more
                }
                // write the record to the export file
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
