package io.threadleak.junit;

import io.threadleak.api.Leftover;
import io.threadleak.api.ThreadLeakScope;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What one test (or class) left alive: by the agent's scope, or by comparing live threads without it. */
abstract class Check {

    /** What was created in the check and is still alive. */
    abstract List<Leftover> leftovers();

    /** Stops attributing what the current thread creates to this check (the test is over). */
    abstract void close();

    /** Whether the agent backs it (creation stacks, parallel execution). */
    abstract boolean byAgent();

    /** Makes the check current on the calling thread too, for a per-class check on a test's thread. */
    AutoCloseable attach() {
        return () -> { };
    }

    /** A scope of the agent. */
    static final class ByAgent extends Check {
        private final ThreadLeakScope scope;

        ByAgent(String name) {
            this.scope = ThreadLeakScope.open(name);
        }

        @Override
        List<Leftover> leftovers() {
            return scope.leftovers();
        }

        @Override
        void close() {
            scope.close();
        }

        @Override
        boolean byAgent() {
            return true;
        }

        @Override
        AutoCloseable attach() {
            return scope.attach();
        }
    }

    /** Without the agent: the threads alive now that were not alive before (sequential execution only). */
    static final class ByDiff extends Check {
        private final Set<Thread> before = new HashSet<>(Fallback.liveThreads());

        @Override
        List<Leftover> leftovers() {
            return Fallback.newThreads(before);
        }

        @Override
        void close() {
        }

        @Override
        boolean byAgent() {
            return false;
        }
    }
}
