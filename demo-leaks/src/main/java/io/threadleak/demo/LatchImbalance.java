package io.threadleak.demo;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Pitfall 5, "WaitGroup Add/Done imbalance": a {@link CountDownLatch}{@code (n)} that is counted down
 * only n-1 times, so {@code await()} waits forever.
 *
 * <p>A batch coordinator thread indexes a batch of shards, one worker thread per shard, and waits on a
 * latch for all of them. A worker that finds its shard empty returns early, before its
 * {@code countDown()}: the coordinator waits forever. The agent reports {@code STUCK} for the
 * coordinator, blaming {@link #startBatch}, which started it.
 */
final class LatchImbalance implements Scenario {

    private static final long INDEX_MS_PER_DOC = 10;

    @Override
    public String name() {
        return "latch-imbalance";
    }

    @Override
    public String rule() {
        return "STUCK";
    }

    @Override
    public String blame() {
        return LatchImbalance.class.getName() + ".startBatch";
    }

    @Override
    public String description() {
        return "worker returns early without countDown(), coordinator awaits the latch forever";
    }

    @Override
    public void run(boolean fixed, Duration duration) throws InterruptedException {
        Thread coordinator = startBatch(1, List.of(List.of("doc-1", "doc-2"), List.of(), List.of("doc-3")), fixed);
        if (fixed) {
            coordinator.join();
        }
        Thread.sleep(duration.toMillis());
    }

    /** Starts the coordinator that indexes the shards of one batch. */
    Thread startBatch(int batchId, List<List<String>> shards, boolean fixed) {
        Thread coordinator = new Thread(() -> coordinate(batchId, shards, fixed), "batch-coordinator-" + batchId);
        coordinator.setDaemon(true);
        coordinator.start();
        return coordinator;
    }

    private static void coordinate(int batchId, List<List<String>> shards, boolean fixed) {
        CountDownLatch shardsDone = new CountDownLatch(shards.size());
        for (int i = 0; i < shards.size(); i++) {
            List<String> shard = shards.get(i);
            Runnable work = fixed ? () -> indexShardFixed(shard, shardsDone) : () -> indexShard(shard, shardsDone);
            Thread worker = new Thread(work, "shard-indexer-" + batchId + "-" + i);
            worker.setDaemon(true);
            worker.start();
        }
        try {
            shardsDone.await(); // waits forever when a worker skipped its countDown()
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void indexShard(List<String> shard, CountDownLatch shardsDone) {
        if (shard.isEmpty()) {
            return; // BUG: early return skips the countDown() below
        }
        index(shard);
        shardsDone.countDown();
    }

    private static void indexShardFixed(List<String> shard, CountDownLatch shardsDone) {
        try {
            if (shard.isEmpty()) {
                return;
            }
            index(shard);
        } finally {
            shardsDone.countDown(); // FIX: counted down on every path, early returns and exceptions included
        }
    }

    private static void index(List<String> shard) {
        try {
            Thread.sleep(INDEX_MS_PER_DOC * shard.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
