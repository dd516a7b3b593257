package io.threadleak.prove;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The proof: marks a heap graph from everything that can run, wakes the waiting threads whose wait something
 * that can run could end, marks from their roots too, and repeats to a fixpoint. The candidates left are proven.
 *
 * <p>Works on node numbers only (a {@link Graph}), so that it can be tested on a hand-made graph. Nodes are
 * {@code 0 .. size-1}. A candidate's own stack roots and its {@code Thread} object are not roots until it wakes;
 * until then its {@code Thread} object, when reached, is <em>opaque</em>: marked, but the fields that belong to
 * the thread itself (its {@code Runnable}, thread locals, park blocker) are not followed, because only the
 * thread could use them, and it is blocked.
 */
final class Fixpoint {

    /** The heap as the proof sees it. */
    interface Graph {
        int size();

        /**
         * Calls {@code out} with every node {@code node} references strongly. When {@code opaqueThread}, the node
         * is a candidate's {@code Thread} object that has not woken: leave out the fields that belong to the thread.
         */
        void forEachEdge(int node, boolean opaqueThread, IntConsumer out);
    }

    /** How a candidate waits, which decides what can wake it. */
    enum Kind {
        /** Parked or in {@code Object.wait}: woken once its blocker (park blocker, monitor) is marked. */
        REACHABLE_BLOCKER,
        /**
         * Blocked on a monitor or on a lock only its owner can release ({@code ReentrantLock}), or joining a thread
         * (woken when that thread ends): woken once the owner (or joined thread) can run.
         */
        OWNER_RUNS
    }

    /**
     * One waiting thread.
     *
     * @param thread its {@code Thread} object
     * @param kind   how it waits
     * @param target the blocker ({@link Kind#REACHABLE_BLOCKER}) or the owner's {@code Thread} ({@link Kind#OWNER_RUNS});
     *               -1 when unknown, which counts as "may wake"
     * @param roots  its own stack roots (frames and JNI locals)
     */
    record Candidate(int thread, Kind kind, int target, int[] roots) {
    }

    /** Why a candidate may still wake. */
    enum Wake { NOT_WOKEN, UNKNOWN_TARGET, BLOCKER_REACHABLE, OWNER_RUNS, THREAD_REACHABLE }

    private final Graph graph;
    private final List<Candidate> candidates;
    private final boolean strict;
    /** 0: not marked; n &gt; 0: marked from node n-1; n &lt; 0: a root, labelled by {@code rootLabels.get(-n-1)}. */
    private final int[] parent;
    private final List<String> rootLabels = new ArrayList<>();
    /** Candidate index + 1 of a candidate's Thread node, else 0. */
    private final int[] candidateOf;
    private final Wake[] wake;
    private int[] queue = new int[1024];
    private int head;
    private int tail;

    /**
     * @param strict when true, a candidate whose {@code Thread} object is reachable may wake too (someone could
     *               interrupt it); by default only its blocker or its lock's owner counts
     */
    Fixpoint(Graph graph, List<Candidate> candidates, boolean strict) {
        this.graph = graph;
        this.candidates = List.copyOf(candidates);
        this.strict = strict;
        this.parent = new int[graph.size()];
        this.candidateOf = new int[graph.size()];
        for (int i = 0; i < this.candidates.size(); i++) {
            candidateOf[this.candidates.get(i).thread()] = i + 1;
        }
        this.wake = new Wake[this.candidates.size()];
        Arrays.fill(wake, Wake.NOT_WOKEN);
    }

    /** Adds a root (before {@link #run}): something that can run holds {@code node}. */
    void root(int node, String label) {
        if (node < 0 || node >= parent.length || parent[node] != 0) {
            return;
        }
        rootLabels.add(label);
        parent[node] = -rootLabels.size();
        push(node);
    }

    /** Runs to the fixpoint. Afterwards {@link #wake(int)} says which candidates may wake. */
    void run() {
        drain();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 0; i < candidates.size(); i++) {
                if (wake[i] != Wake.NOT_WOKEN) {
                    continue;
                }
                Wake w = canWake(candidates.get(i));
                if (w != Wake.NOT_WOKEN) {
                    wake[i] = w;
                    wakeUp(i);
                    changed = true;
                }
            }
            drain();
        }
    }

    private Wake canWake(Candidate c) {
        if (c.target() < 0) {
            return Wake.UNKNOWN_TARGET;
        }
        if (c.kind() == Kind.REACHABLE_BLOCKER && marked(c.target())) {
            return Wake.BLOCKER_REACHABLE;
        }
        if (c.kind() == Kind.OWNER_RUNS) {
            int owner = candidateOf[c.target()];
            if (owner == 0 || wake[owner - 1] != Wake.NOT_WOKEN) {
                return Wake.OWNER_RUNS;
            }
        }
        if (strict && marked(c.thread())) {
            return Wake.THREAD_REACHABLE;
        }
        return Wake.NOT_WOKEN;
    }

    private void wakeUp(int i) {
        Candidate c = candidates.get(i);
        String label = "stack of woken thread #" + i;
        for (int r : c.roots()) {
            root(r, label);
        }
        if (marked(c.thread())) {
            // reached while opaque: now follow the fields that belong to the thread as well
            graph.forEachEdge(c.thread(), false, child -> reach(c.thread(), child));
        } else {
            root(c.thread(), "thread object of woken thread #" + i);
        }
    }

    private void drain() {
        while (head < tail) {
            int node = queue[head++];
            int cand = candidateOf[node];
            boolean opaque = cand != 0 && wake[cand - 1] == Wake.NOT_WOKEN;
            graph.forEachEdge(node, opaque, child -> reach(node, child));
        }
        head = 0;
        tail = 0;
    }

    private void reach(int from, int child) {
        if (child >= 0 && child < parent.length && parent[child] == 0) {
            parent[child] = from + 1;
            push(child);
        }
    }

    private void push(int node) {
        if (tail == queue.length) {
            if (head > 0) {
                System.arraycopy(queue, head, queue, 0, tail - head);
                tail -= head;
                head = 0;
            } else {
                queue = Arrays.copyOf(queue, queue.length * 2);
            }
        }
        queue[tail++] = node;
    }

    boolean marked(int node) {
        return node >= 0 && node < parent.length && parent[node] != 0;
    }

    /** Why candidate {@code i} (in the order given) may wake, or {@link Wake#NOT_WOKEN}: proven. */
    Wake wake(int i) {
        return wake[i];
    }

    /**
     * The path by which {@code node} was first reached: the root's label, then the nodes from the root down to
     * {@code node}; empty when not marked. Shortest from the first roots, since marking is breadth-first.
     */
    Path pathTo(int node) {
        if (!marked(node)) {
            return new Path("", new int[0]);
        }
        List<Integer> nodes = new ArrayList<>();
        int n = node;
        while (parent[n] > 0) {
            nodes.add(n);
            n = parent[n] - 1;
            if (nodes.size() > parent.length) {
                throw new IllegalStateException("cycle in parent links");
            }
        }
        nodes.add(n);
        int[] down = new int[nodes.size()];
        for (int k = 0; k < down.length; k++) {
            down[k] = nodes.get(down.length - 1 - k);
        }
        return new Path(rootLabels.get(-parent[n] - 1), down);
    }

    /** A root's label and the nodes from the root (first) to the target (last). */
    record Path(String rootLabel, int[] nodes) {
    }
}
