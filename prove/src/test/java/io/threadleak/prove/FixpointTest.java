package io.threadleak.prove;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.threadleak.prove.Fixpoint.Candidate;
import io.threadleak.prove.Fixpoint.Kind;
import io.threadleak.prove.Fixpoint.Wake;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/** The fixpoint on hand-made graphs. */
class FixpointTest {

    /** Nodes 0..n-1; edges; edges marked "own" are a Thread's own fields, hidden while it is opaque. */
    static final class Graph implements Fixpoint.Graph {
        final int size;
        final Map<Integer, List<Integer>> edges = new HashMap<>();
        final Set<Long> own = new HashSet<>();

        Graph(int size) {
            this.size = size;
        }

        Graph edge(int from, int to) {
            edges.computeIfAbsent(from, k -> new ArrayList<>()).add(to);
            return this;
        }

        Graph ownEdge(int from, int to) {
            own.add(((long) from << 32) | to);
            return edge(from, to);
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public void forEachEdge(int node, boolean opaqueThread, IntConsumer out) {
            for (int to : edges.getOrDefault(node, List.of())) {
                if (!(opaqueThread && own.contains(((long) node << 32) | to))) {
                    out.accept(to);
                }
            }
        }
    }

    static Candidate waiter(int thread, int blocker, int... stack) {
        return new Candidate(thread, Kind.REACHABLE_BLOCKER, blocker, stack);
    }

    static Candidate blockedOn(int thread, int ownerThread, int... stack) {
        return new Candidate(thread, Kind.OWNER_RUNS, ownerThread, stack);
    }

    @Test
    void blockerHeldOnlyByItsOwnStackIsProven() {
        // 0: static root, 1: waiter's Thread, 2: latch (held by the waiter's frame only), 3: unrelated
        Graph g = new Graph(4).edge(0, 3);
        Fixpoint f = new Fixpoint(g, List.of(waiter(1, 2, 2)), false);
        f.root(0, "static A.X");
        f.run();
        assertEquals(Wake.NOT_WOKEN, f.wake(0));
    }

    @Test
    void blockerReachableFromARootMayWakeAndThePathIsShortest() {
        // root 0 -> 3 -> 2 (latch), and a longer 0 -> 4 -> 5 -> 2
        Graph g = new Graph(6).edge(0, 4).edge(4, 5).edge(5, 2).edge(0, 3).edge(3, 2);
        Fixpoint f = new Fixpoint(g, List.of(waiter(1, 2, 2)), false);
        f.root(0, "static A.X");
        f.run();
        assertEquals(Wake.BLOCKER_REACHABLE, f.wake(0));
        assertEquals("static A.X", f.pathTo(2).rootLabel());
        assertArrayEquals(new int[] {0, 3, 2}, f.pathTo(2).nodes());
    }

    @Test
    void aWokenCandidatesStackJoinsTheRootsToAFixpoint() {
        // A (thread 1) waits on 2, held by B's stack; B (thread 3) waits on 4, held by a root through 5
        Graph g = new Graph(6).edge(0, 5).edge(5, 4);
        Fixpoint f = new Fixpoint(g, List.of(waiter(1, 2, 2), waiter(3, 4, 4, 2)), false);
        f.root(0, "static A.X");
        f.run();
        assertEquals(Wake.BLOCKER_REACHABLE, f.wake(0));
        assertEquals(Wake.BLOCKER_REACHABLE, f.wake(1));
        assertEquals("stack of woken thread #1", f.pathTo(2).rootLabel());
    }

    @Test
    void waitersHoldingEachOthersBlockersOnlyAreBothProven() {
        Graph g = new Graph(5);
        Fixpoint f = new Fixpoint(g, List.of(waiter(1, 2, 2, 4), waiter(3, 4, 4, 2)), false);
        f.root(0, "static A.X");
        f.run();
        assertEquals(Wake.NOT_WOKEN, f.wake(0));
        assertEquals(Wake.NOT_WOKEN, f.wake(1));
    }

    @Test
    void ownershipCycleIsProvenAndARunningOwnerIsNot() {
        // 1 and 2 are blocked on each other's locks; 3 is blocked on a lock owned by 4, which runs
        Graph g = new Graph(5);
        Fixpoint f = new Fixpoint(g, List.of(blockedOn(1, 2), blockedOn(2, 1), blockedOn(3, 4)), false);
        f.root(4, "thread \"runner\"");
        f.run();
        assertEquals(Wake.NOT_WOKEN, f.wake(0));
        assertEquals(Wake.NOT_WOKEN, f.wake(1));
        assertEquals(Wake.OWNER_RUNS, f.wake(2));
    }

    @Test
    void blockedBehindAProvenThreadIsProvenAndBehindAWokenOneIsNot() {
        // 1 waits on latch 5 (unreachable): proven; 2 is blocked on 1's lock: proven too.
        // 3 waits on latch 6 (reachable): may wake; 4 is blocked on 3's lock: may wake.
        Graph g = new Graph(7).edge(0, 6);
        Fixpoint f = new Fixpoint(g, List.of(waiter(1, 5, 5), blockedOn(2, 1), waiter(3, 6, 6), blockedOn(4, 3)), false);
        f.root(0, "static A.X");
        f.run();
        assertEquals(Wake.NOT_WOKEN, f.wake(0));
        assertEquals(Wake.NOT_WOKEN, f.wake(1));
        assertEquals(Wake.BLOCKER_REACHABLE, f.wake(2));
        assertEquals(Wake.OWNER_RUNS, f.wake(3));
    }

    @Test
    void aCandidatesThreadObjectIsOpaqueUnlessStrict() {
        // root 0 holds the waiter's Thread (1), whose own field (its Runnable, 3) holds the latch (2)
        Graph g = new Graph(4).edge(0, 1).ownEdge(1, 3).edge(3, 2);
        Fixpoint lenient = new Fixpoint(g, List.of(waiter(1, 2, 2)), false);
        lenient.root(0, "local of \"main\"");
        lenient.run();
        assertEquals(Wake.NOT_WOKEN, lenient.wake(0));
        assertEquals(true, lenient.marked(1));
        assertEquals(false, lenient.marked(2));

        Fixpoint strict = new Fixpoint(g, List.of(waiter(1, 2, 2)), true);
        strict.root(0, "local of \"main\"");
        strict.run();
        assertEquals(Wake.THREAD_REACHABLE, strict.wake(0));
    }

    @Test
    void unknownBlockerMayWake() {
        Fixpoint f = new Fixpoint(new Graph(2), List.of(waiter(1, -1)), false);
        f.run();
        assertEquals(Wake.UNKNOWN_TARGET, f.wake(0));
    }
}
