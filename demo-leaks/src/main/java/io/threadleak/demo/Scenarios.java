package io.threadleak.demo;

import java.util.List;
import java.util.Optional;

/** The registry of scenarios, in the order {@code list} shows and {@code all} runs them. */
public final class Scenarios {

    /** Every scenario; {@code forgotten-thread} stays last because its {@code run} returns at once. */
    public static final List<Scenario> ALL = List.of(
            new NoExitPath(),
            new BlockedPut(),
            new LatchImbalance(),
            new LockOrderDeadlock(),
            new LockOrderDeadlockLocks(),
            new ExecutorPerRequest(),
            new ExceptionBeforeComplete(),
            new NeverCompletedFuture(),
            new TimerPerObject(),
            new SchedulerPerObject(),
            new CancelNotPropagated(),
            new PoolStarvation(),
            new RequestScope(),
            new ForgottenThread());

    private Scenarios() {
    }

    public static Optional<Scenario> byName(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public static List<String> names() {
        return ALL.stream().map(Scenario::name).toList();
    }
}
