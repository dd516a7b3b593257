package io.threadleak.prove;

import io.threadleak.prove.TargetDump.ThreadSnapshot;
import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import shark.CloseableHeapGraph;
import shark.GcRoot;
import shark.HeapField;
import shark.HeapGraph;
import shark.HeapObject;
import shark.HeapObject.HeapClass;
import shark.HeapObject.HeapInstance;
import shark.HeapObject.HeapObjectArray;
import shark.HeapValue;
import shark.HprofHeapGraph;
import shark.HprofIndex;

/**
 * Reads a HotSpot heap dump with Shark, finds the candidates (threads in an untimed wait or blocked entering a
 * monitor, from the thread status bits in the dump), and runs the {@link Fixpoint} over the dump's object graph.
 * Runs in the command's JVM, never in the target.
 */
final class HeapAnalysis {

    // JVMTI thread state bits, as the JDK keeps them in Thread.threadStatus (Thread.holder.threadStatus on 19+)
    static final int ALIVE = 0x1;
    static final int WAITING_INDEFINITELY = 0x10;
    static final int IN_OBJECT_WAIT = 0x100;
    static final int PARKED = 0x200;
    static final int BLOCKED_ON_MONITOR_ENTER = 0x400;

    static final String THREAD = "java.lang.Thread";

    /** One candidate as found in the dump, with the verdict once the proof has run. */
    record Waiter(int serial, long tid, String name, String state, int threadNode, Fixpoint.Kind kind, int target,
                  String waitsOn, String ownerName, ThreadSnapshot snapshot) {
    }

    /** The outcome: proven and not proven waiters, with a path or reason each, and caveats. */
    record Verdict(List<Proven> proven, List<NotProven> notProven, List<String> caveats, long analysisMillis,
                   int objectCount, Map<String, Long> phaseMillis, String refused) {
    }

    record Proven(Waiter waiter, String reason, String interruptibleVia) {
    }

    record NotProven(Waiter waiter, String path) {
    }

    private final HeapGraph graph;
    private final Map<Long, ThreadSnapshot> snapshots;
    private final int jdkFeature;

    private final File hprof;
    /** Milliseconds per phase of the analysis, in order: index, references, proof, paths. */
    private final Map<String, Long> phases = new java.util.LinkedHashMap<>();
    private long phaseStart = System.nanoTime();

    private void phase(String name) {
        long now = System.nanoTime();
        phases.put(name, (now - phaseStart) / 1_000_000);
        phaseStart = now;
    }

    private HeapAnalysis(File hprof, HeapGraph graph, Map<Long, ThreadSnapshot> snapshots, int jdkFeature) {
        this.hprof = hprof;
        this.graph = graph;
        this.snapshots = snapshots;
        this.jdkFeature = jdkFeature;
    }

    static Verdict analyse(File hprof, Map<Long, ThreadSnapshot> snapshots, int jdkFeature, boolean strict) {
        long start = System.nanoTime();
        try (CloseableHeapGraph graph = HprofHeapGraph.Companion.openHeapGraph(hprof, null,
                HprofIndex.Companion.defaultIndexedGcRootTags())) {
            HeapAnalysis analysis = new HeapAnalysis(hprof, graph, snapshots, jdkFeature);
            analysis.phaseStart = start;
            analysis.phase("index");
            Verdict v = analysis.run(strict);
            return new Verdict(v.proven(), v.notProven(), v.caveats(), (System.nanoTime() - start) / 1_000_000,
                    graph.getObjectCount(), Map.copyOf(analysis.phases), v.refused());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Verdict run(boolean strict) {
        List<String> caveats = new ArrayList<>();
        // thread serial -> its roots; thread object node -> serial
        Map<Integer, List<GcRoot>> rootsBySerial = new HashMap<>();
        Map<Integer, Integer> threadNodeBySerial = new HashMap<>();
        Map<Long, Integer> threadNodeByTid = new HashMap<>();
        for (GcRoot root : graph.getGcRoots()) {
            if (root instanceof GcRoot.JavaFrame f) {
                rootsBySerial.computeIfAbsent(f.getThreadSerialNumber(), k -> new ArrayList<>()).add(root);
            } else if (root instanceof GcRoot.JniLocal l) {
                rootsBySerial.computeIfAbsent(l.getThreadSerialNumber(), k -> new ArrayList<>()).add(root);
            } else if (root instanceof GcRoot.ThreadObject t && graph.objectExists(t.getId())) {
                int node = graph.findObjectById(t.getId()).getObjectIndex();
                threadNodeBySerial.put(t.getThreadSerialNumber(), node);
                HeapInstance thread = graph.findObjectById(t.getId()).getAsInstance();
                if (thread != null) {
                    Long tid = longField(thread, THREAD, "tid");
                    if (tid != null) {
                        threadNodeByTid.put(tid, node);
                    }
                }
            }
        }

        // only looked up where it matters: Shark can fail to find a class object the dump names (seen on JDK 25)
        String refusal = VirtualThreadDumps.mayRefuse(jdkFeature)
                ? VirtualThreadDumps.refusal(jdkFeature, hasVirtualThreads()) : null;
        if (refusal != null) {
            return new Verdict(List.of(), List.of(), caveats, 0, graph.getObjectCount(), Map.of(), refusal);
        }

        List<Waiter> waiters = new ArrayList<>();
        for (Map.Entry<Integer, Integer> e : threadNodeBySerial.entrySet()) {
            Waiter w = candidate(e.getKey(), e.getValue(), rootsBySerial.getOrDefault(e.getKey(), List.of()),
                    threadNodeByTid);
            if (w != null) {
                waiters.add(w);
            }
        }
        waiters.sort((a, b) -> a.name().compareTo(b.name()));

        SharkGraph sharkGraph = new SharkGraph(graph, hprof);
        phase("references");
        List<Fixpoint.Candidate> candidates = new ArrayList<>();
        java.util.Set<Integer> candidateSerials = new java.util.HashSet<>();
        for (Waiter w : waiters) {
            int[] roots = rootsBySerial.getOrDefault(w.serial(), List.of()).stream()
                        .mapToInt(r -> node(graph, r.getId())).filter(n -> n >= 0).toArray();
            candidates.add(new Fixpoint.Candidate(w.threadNode(), w.kind(), w.target(), roots));
            candidateSerials.add(w.serial());
        }
        Fixpoint fixpoint = new Fixpoint(sharkGraph, candidates, strict);
        addRoots(fixpoint, candidateSerials, threadNodeBySerial);
        fixpoint.run();
        phase("proof");

        List<Proven> proven = new ArrayList<>();
        List<NotProven> notProven = new ArrayList<>();
        Map<Integer, Waiter> waiterByThreadNode = new HashMap<>();
        for (Waiter w : waiters) {
            waiterByThreadNode.put(w.threadNode(), w);
        }
        for (int i = 0; i < waiters.size(); i++) {
            Waiter w = waiters.get(i);
            Fixpoint.Wake wake = fixpoint.wake(i);
            if (wake == Fixpoint.Wake.NOT_WOKEN) {
                String reason = w.kind() == Fixpoint.Kind.REACHABLE_BLOCKER
                        ? "nothing that can run reaches what it waits on"
                        : "the lock's owner " + quote(w.ownerName()) + " is proven stuck itself (or in a deadlock cycle)";
                String via = fixpoint.marked(w.threadNode()) ? describe(fixpoint, w.threadNode()) : null;
                proven.add(new Proven(w, reason, via));
            } else {
                notProven.add(new NotProven(w, whyAwake(fixpoint, w, wake, waiterByThreadNode)));
            }
        }
        phase("paths");
        return new Verdict(proven, notProven, caveats, 0, graph.getObjectCount(), Map.of(), null);
    }

    /** Whether the dump holds a {@code java.lang.VirtualThread}; when the dump cannot say, assume it does. */
    private boolean hasVirtualThreads() {
        try {
            HeapClass vt = graph.findClassByName("java.lang.VirtualThread");
            return vt != null && vt.getInstances().iterator().hasNext();
        } catch (RuntimeException e) {
            return true;
        }
    }

    private String whyAwake(Fixpoint fixpoint, Waiter w, Fixpoint.Wake wake, Map<Integer, Waiter> waiters) {
        return switch (wake) {
            case UNKNOWN_TARGET -> "what it waits on is not known from the dump (" + w.waitsOn() + ")";
            case BLOCKER_REACHABLE -> describe(fixpoint, w.target());
            case THREAD_REACHABLE -> "its Thread can be interrupted: " + describe(fixpoint, w.threadNode());
            case OWNER_RUNS -> {
                Waiter owner = waiters.get(w.target());
                yield "the owner " + quote(w.ownerName()) + (owner == null ? " can run" : " may still wake");
            }
            case NOT_WOKEN -> "";
        };
    }

    /** Roots: everything except the candidates' own stack frames, JNI locals and thread objects; plus all statics. */
    private void addRoots(Fixpoint fixpoint, java.util.Set<Integer> candidateSerials,
                          Map<Integer, Integer> threadNodeBySerial) {
        Map<Integer, String> threadNames = new HashMap<>();
        for (Map.Entry<Integer, Integer> e : threadNodeBySerial.entrySet()) {
            HeapInstance t = objectAt(graph, e.getValue()).getAsInstance();
            threadNames.put(e.getKey(), t == null ? "?" : threadName(t));
        }
        for (HeapClass c : iterable(graph.getClasses())) {
            for (HeapField f : iterable(c.readStaticFields())) {
                Long id = f.getValue().getAsNonNullObjectId();
                if (id != null) {
                    fixpoint.root(node(graph, id), "static " + c.getName() + "." + f.getName());
                }
            }
        }
        for (GcRoot root : graph.getGcRoots()) {
            int node = node(graph, root.getId());
            if (node < 0) {
                continue;
            }
            String label;
            if (root instanceof GcRoot.JavaFrame f) {
                if (candidateSerials.contains(f.getThreadSerialNumber())) {
                    continue;
                }
                label = "local of " + quote(threadNames.get(f.getThreadSerialNumber())) + " in frame "
                        + f.getFrameNumber() + frameName(f.getThreadSerialNumber(), f.getFrameNumber(), threadNodeBySerial);
            } else if (root instanceof GcRoot.JniLocal l) {
                if (candidateSerials.contains(l.getThreadSerialNumber())) {
                    continue;
                }
                label = "JNI local of " + quote(threadNames.get(l.getThreadSerialNumber()));
            } else if (root instanceof GcRoot.ThreadObject t) {
                if (candidateSerials.contains(t.getThreadSerialNumber())) {
                    continue;
                }
                label = "thread " + quote(threadNames.get(t.getThreadSerialNumber()));
            } else {
                label = root.getClass().getSimpleName() + " root";
            }
            fixpoint.root(node, label);
        }
    }

    private String frameName(int serial, int depth, Map<Integer, Integer> threadNodeBySerial) {
        Integer node = threadNodeBySerial.get(serial);
        HeapInstance t = node == null ? null : objectAt(graph, node).getAsInstance();
        Long tid = t == null ? null : longField(t, THREAD, "tid");
        ThreadSnapshot s = tid == null ? null : snapshots.get(tid);
        if (s == null || depth < 0 || depth >= s.stack().size()) {
            return "";
        }
        StackTraceElement e = s.stack().get(depth);
        return " (" + e.getClassName() + "." + e.getMethodName() + ")";
    }

    private Waiter candidate(int serial, int threadNode, List<GcRoot> roots, Map<Long, Integer> threadNodeByTid) {
        HeapInstance thread = objectAt(graph, threadNode).getAsInstance();
        if (thread == null) {
            return null;
        }
        Integer status = status(thread);
        if (status == null || (status & ALIVE) == 0) {
            return null; // virtual threads (no holder status) and threads not alive are never candidates
        }
        boolean untimedWait = (status & WAITING_INDEFINITELY) != 0 && (status & (PARKED | IN_OBJECT_WAIT)) != 0;
        boolean blocked = (status & BLOCKED_ON_MONITOR_ENTER) != 0;
        if (!untimedWait && !blocked) {
            return null;
        }
        Long tid = longField(thread, THREAD, "tid");
        ThreadSnapshot snap = tid == null ? null : snapshots.get(tid);
        String name = threadName(thread);
        String waitsOn = snap != null && snap.lock() != null ? snap.lock() : "?";
        if (blocked) {
            int owner = -1;
            String ownerName = null;
            if (snap != null && snap.lockOwnerId() >= 0) {
                owner = threadNodeByTid.getOrDefault(snap.lockOwnerId(), -1);
                ThreadSnapshot o = snapshots.get(snap.lockOwnerId());
                ownerName = o == null ? "#" + snap.lockOwnerId() : o.name();
            }
            return new Waiter(serial, tid == null ? -1 : tid, name, "BLOCKED (on object monitor)", threadNode,
                    Fixpoint.Kind.OWNER_RUNS, owner, waitsOn, ownerName, snap);
        }
        if ((status & PARKED) != 0) {
            HeapInstance blocker = instanceField(thread, THREAD, "parkBlocker");
            if (blocker == null) {
                return new Waiter(serial, tid == null ? -1 : tid, name, "WAITING (parking)", threadNode,
                        Fixpoint.Kind.REACHABLE_BLOCKER, -1, "no park blocker", null, snap);
            }
            if (waitsOn.equals("?")) {
                waitsOn = blocker.getInstanceClassName() + "@" + Long.toHexString(blocker.getObjectId());
            }
            if (blocker.instanceOf("java.util.concurrent.locks.ReentrantLock$Sync")
                    || blocker.instanceOf("java.util.concurrent.locks.ReentrantReadWriteLock$Sync")) {
                // only the owner can release these locks: whether anything else reaches them does not matter
                HeapInstance owner = instanceField(blocker, "java.util.concurrent.locks.AbstractOwnableSynchronizer",
                        "exclusiveOwnerThread");
                if (owner != null) {
                    return new Waiter(serial, tid == null ? -1 : tid, name, "WAITING (parking)", threadNode,
                            Fixpoint.Kind.OWNER_RUNS, owner.getObjectIndex(), waitsOn, threadName(owner), snap);
                }
            }
            return new Waiter(serial, tid == null ? -1 : tid, name, "WAITING (parking)", threadNode,
                    Fixpoint.Kind.REACHABLE_BLOCKER, blocker.getObjectIndex(), waitsOn, null, snap);
        }
        // Object.wait: the monitor is the receiver of the wait frame, one of this thread's roots near the top
        HeapInstance monitor = waitMonitor(roots, snap);
        if (monitor == null) {
            return new Waiter(serial, tid == null ? -1 : tid, name, "WAITING (on object monitor)", threadNode,
                    Fixpoint.Kind.REACHABLE_BLOCKER, -1, waitsOn, null, snap);
        }
        if (monitor.instanceOf(THREAD)) {
            // join(): wakes when that thread ends, so when it can run
            return new Waiter(serial, tid == null ? -1 : tid, name, "WAITING (on object monitor)", threadNode,
                    Fixpoint.Kind.OWNER_RUNS, monitor.getObjectIndex(), waitsOn, threadName(monitor), snap);
        }
        return new Waiter(serial, tid == null ? -1 : tid, name, "WAITING (on object monitor)", threadNode,
                Fixpoint.Kind.REACHABLE_BLOCKER, monitor.getObjectIndex(), waitsOn, null, snap);
    }

    private HeapInstance waitMonitor(List<GcRoot> roots, ThreadSnapshot snap) {
        if (snap == null || snap.lockClassName() == null) {
            return null;
        }
        int waitDepth = 0;
        for (int i = 0; i < snap.stack().size(); i++) {
            StackTraceElement e = snap.stack().get(i);
            if (e.getClassName().equals("java.lang.Object") && e.getMethodName().startsWith("wait")) {
                waitDepth = i;
            } else {
                break;
            }
        }
        HeapInstance best = null;
        int bestDepth = Integer.MAX_VALUE;
        for (GcRoot r : roots) {
            int depth = r instanceof GcRoot.JavaFrame f ? f.getFrameNumber()
                    : r instanceof GcRoot.JniLocal l ? l.getFrameNumber() : Integer.MAX_VALUE;
            if (depth > waitDepth + 1 || depth >= bestDepth || !graph.objectExists(r.getId())) {
                continue;
            }
            HeapInstance o = graph.findObjectById(r.getId()).getAsInstance();
            if (o != null && o.getInstanceClassName().equals(snap.lockClassName())) {
                best = o;
                bestDepth = depth;
            }
        }
        return best;
    }

    /** "static a.B.F -> a.B$C.field -> ... -> Target@id", the path by which the proof reached {@code node}. */
    private String describe(Fixpoint fixpoint, int node) {
        Fixpoint.Path path = fixpoint.pathTo(node);
        StringBuilder sb = new StringBuilder(path.rootLabel());
        int[] nodes = path.nodes();
        for (int k = 1; k < nodes.length; k++) {
            sb.append(" -> ").append(edgeName(nodes[k - 1], nodes[k]));
        }
        HeapObject last = objectAt(graph, nodes[nodes.length - 1]);
        sb.append(" -> ").append(className(last)).append('@').append(Long.toHexString(last.getObjectId()));
        return sb.toString();
    }

    private String edgeName(int from, int to) {
        HeapObject parent = objectAt(graph, from);
        long id = objectAt(graph, to).getObjectId();
        if (parent instanceof HeapInstance i) {
            for (HeapField f : iterable(i.readFields())) {
                Long v = f.getValue().getAsObjectId();
                if (v != null && v == id) {
                    return i.getInstanceClassName() + "." + f.getName();
                }
            }
            return i.getInstanceClassName();
        }
        if (parent instanceof HeapObjectArray a) {
            int k = 0;
            for (HeapValue v : iterable(a.readElements())) {
                Long e = v.getAsObjectId();
                if (e != null && e == id) {
                    return a.getArrayClassName().replace("[]", "") + "[" + k + "]";
                }
                k++;
            }
            return a.getArrayClassName();
        }
        return className(parent);
    }

    private static String className(HeapObject o) {
        if (o instanceof HeapInstance i) {
            return i.getInstanceClassName();
        }
        if (o instanceof HeapObjectArray a) {
            return a.getArrayClassName();
        }
        if (o instanceof HeapClass c) {
            return "class " + c.getName();
        }
        return "primitive array";
    }

    /**
     * The node of an object id through Shark, or -1 when the object is not in the dump or is a primitive array
     * (which holds no references; and Shark 2.14 gives primitive arrays found by id an index out of range).
     */
    static int node(HeapGraph graph, long id) {
        HeapObject o = graph.findObjectByIdOrNull(id);
        return o == null || o instanceof HeapObject.HeapPrimitiveArray ? -1 : o.getObjectIndex();
    }

    /**
     * The object at a node. Shark 2.14's {@code findObjectByIndex} refuses index 0 (the first class), so that one
     * is looked up among the classes.
     */
    static HeapObject objectAt(HeapGraph graph, int node) {
        if (node == 0) {
            for (HeapClass c : iterable(graph.getClasses())) {
                if (c.getObjectIndex() == 0) {
                    return c;
                }
            }
        }
        return graph.findObjectByIndex(node);
    }

    static final int TERMINATED = 0x2;

    /** The thread status bits in the dump: {@code Thread.threadStatus} (JDK &lt;= 18) or {@code holder.threadStatus}. */
    static Integer status(HeapInstance thread) {
        Integer status = intField(thread, THREAD, "threadStatus");
        if (status == null) {
            HeapInstance holder = instanceField(thread, THREAD, "holder");
            status = holder == null ? null : intField(holder, "java.lang.Thread$FieldHolder", "threadStatus");
        }
        return status;
    }

    static boolean terminated(HeapInstance thread) {
        Integer status = status(thread);
        return status != null && (status & TERMINATED) != 0;
    }

    // ---- field helpers ----------------------------------------------------------------------------------------

    static String threadName(HeapInstance thread) {
        HeapField f = thread.readField(THREAD, "name");
        String name = f == null ? null : f.getValue().readAsJavaString();
        return name == null ? "?" : name;
    }

    private static Integer intField(HeapInstance o, String declaring, String name) {
        HeapField f = o.readField(declaring, name);
        return f == null ? null : f.getValue().getAsInt();
    }

    private static Long longField(HeapInstance o, String declaring, String name) {
        HeapField f = o.readField(declaring, name);
        return f == null ? null : f.getValue().getAsLong();
    }

    private static HeapInstance instanceField(HeapInstance o, String declaring, String name) {
        HeapField f = o.readField(declaring, name);
        return f == null ? null : f.getValueAsInstance();
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    static <T> Iterable<T> iterable(kotlin.sequences.Sequence<T> seq) {
        return () -> {
            Iterator<T> it = seq.iterator();
            return it;
        };
    }
}
