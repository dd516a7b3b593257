package io.threadleak.api;

import java.util.List;

/**
 * One thing a scope created that is still alive: a thread, an executor (with its worker threads) or a timer.
 *
 * @param kind          {@code thread}, {@code executor} or {@code timer}
 * @param name          the thread's name, or the executor's kind and number ({@code ThreadPoolExecutor#3})
 * @param state         the thread's state, or the executor's ({@code RUNNING, 2 workers}, {@code SHUT_DOWN, 1 worker})
 * @param blame         the first application frame of its creation stack, as {@code class.method(File.java:line)}
 * @param creationStack where it was created, innermost frame first (empty when the agent did not see it created)
 * @param currentStack  what its thread (an executor's first worker) runs now, innermost frame first
 * @param threads       its live threads (an idle executor that was never shut down may have none)
 * @param settling      whether it may still end on its own (a thread, an executor that was shut down), so that
 *                      waiting for its threads is worth it
 */
public record Leftover(String kind, String name, String state, String blame, List<StackTraceElement> creationStack,
                       List<StackTraceElement> currentStack, List<Thread> threads, boolean settling) {

    public Leftover {
        creationStack = List.copyOf(creationStack);
        currentStack = List.copyOf(currentStack);
        threads = List.copyOf(threads);
    }

    /** A row of the agent's bridge, or {@code null} when it is not one. */
    static Leftover of(Object row) {
        if (!(row instanceof Object[] r) || r.length < 8) {
            return null;
        }
        try {
            return new Leftover((String) r[0], (String) r[1], (String) r[2], (String) r[3],
                    List.of((StackTraceElement[]) r[4]), List.of((StackTraceElement[]) r[5]), List.of((Thread[]) r[6]),
                    (Boolean) r[7]);
        } catch (ClassCastException | NullPointerException e) {
            return null;
        }
    }
}
