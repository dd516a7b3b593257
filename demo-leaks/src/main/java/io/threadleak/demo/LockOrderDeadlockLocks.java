package io.threadleak.demo;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lock-order deadlock on {@link ReentrantLock}s: the same bug as {@link LockOrderDeadlock}, with
 * {@code lock()} (no timeout) instead of {@code synchronized}.
 *
 * <p>A transfer locks the source account, then the target account. Two concurrent transfers in
 * opposite directions each hold one lock and park forever on the other. The agent reports
 * {@code DEADLOCK} (ownable synchronizers count too), blaming {@link #startTransfers}.
 */
final class LockOrderDeadlockLocks implements Scenario {

    static final class Account {
        final int id;
        final String owner;
        final ReentrantLock lock = new ReentrantLock();
        long balance;

        Account(int id, String owner, long balance) {
            this.id = id;
            this.owner = owner;
            this.balance = balance;
        }
    }

    @Override
    public String name() {
        return "lock-order-deadlock-locks";
    }

    @Override
    public String rule() {
        return "DEADLOCK";
    }

    @Override
    public String blame() {
        return LockOrderDeadlockLocks.class.getName() + ".startTransfers";
    }

    @Override
    public String description() {
        return "two transfers take ReentrantLocks in opposite order with lock(), no timeout";
    }

    @Override
    public void run(boolean fixed, Duration duration) throws InterruptedException {
        List<Thread> transfers = startTransfers(new Account(1, "carol", 100), new Account(2, "dave", 100), fixed);
        if (fixed) {
            for (Thread transfer : transfers) {
                transfer.join();
            }
        }
        Thread.sleep(duration.toMillis());
    }

    /** Starts two concurrent transfers between the same accounts, one in each direction. */
    List<Thread> startTransfers(Account a, Account b, boolean fixed) {
        RaceWindow race = new RaceWindow();
        List<Thread> transfers = List.of(
                new Thread(() -> transfer(a, b, 30, race, fixed), "transfer-" + a.owner + "-to-" + b.owner),
                new Thread(() -> transfer(b, a, 20, race, fixed), "transfer-" + b.owner + "-to-" + a.owner));
        for (Thread transfer : transfers) {
            transfer.setDaemon(true);
            transfer.start();
        }
        return transfers;
    }

    private static void transfer(Account from, Account to, long amount, RaceWindow race, boolean fixed) {
        // BUG: the lock order follows the direction of the transfer, so opposite transfers lock in opposite order.
        Account first = from;
        Account second = to;
        if (fixed) {
            // FIX: one global order for every transfer: the lower account id first.
            first = from.id < to.id ? from : to;
            second = first == from ? to : from;
        }
        race.arrive();
        first.lock.lock();
        try {
            race.holdFirstLock();
            second.lock.lock(); // parks forever in the leaky variant: no timeout, not interruptible
            try {
                from.balance -= amount;
                to.balance += amount;
            } finally {
                second.lock.unlock();
            }
        } finally {
            first.lock.unlock();
        }
    }
}
