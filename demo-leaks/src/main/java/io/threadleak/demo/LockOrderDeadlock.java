package io.threadleak.demo;

import java.time.Duration;
import java.util.List;

/**
 * Lock-order deadlock on monitors (an extra of the spec, the Java form of two goroutines each holding
 * one mutex and wanting the other's).
 *
 * <p>A transfer locks the source account, then the target account. Two concurrent transfers in
 * opposite directions, alice to bob and bob to alice, each take their first lock and then wait forever
 * for the other's. The agent reports {@code DEADLOCK}, blaming {@link #startTransfers}, which started
 * both threads.
 */
final class LockOrderDeadlock implements Scenario {

    static final class Account {
        final int id;
        final String owner;
        long balance;

        Account(int id, String owner, long balance) {
            this.id = id;
            this.owner = owner;
            this.balance = balance;
        }
    }

    @Override
    public String name() {
        return "lock-order-deadlock";
    }

    @Override
    public String rule() {
        return "DEADLOCK";
    }

    @Override
    public String blame() {
        return LockOrderDeadlock.class.getName() + ".startTransfers";
    }

    @Override
    public String description() {
        return "two transfers take synchronized account locks in opposite order";
    }

    @Override
    public void run(boolean fixed, Duration duration) throws InterruptedException {
        List<Thread> transfers = startTransfers(new Account(1, "alice", 100), new Account(2, "bob", 100), fixed);
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
        synchronized (first) {
            race.holdFirstLock();
            synchronized (second) {
                from.balance -= amount;
                to.balance += amount;
            }
        }
    }
}
