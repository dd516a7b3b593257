package io.threadleak.prove;

import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import shark.HeapGraph;
import shark.HeapObject;
import shark.HeapObject.HeapClass;
import shark.HeapObject.HeapInstance;
import shark.HeapObject.HeapObjectArray;
import shark.HprofHeader;
import shark.HprofRecordTag;
import shark.StreamingHprofReader;

/**
 * The dump's object graph as the {@link Fixpoint} needs it, with the edges that do not keep anything awake left
 * out. Fast path: an index of object ids (no lookups through Shark per edge) and per-class reference offsets
 * (instance field bytes read once, no field objects).
 */
final class SharkGraph implements Fixpoint.Graph {
    private static final int REFERENCE_TYPE = 2;

    /** Reference offsets of one class's instances, and which of them are java.lang.Thread's own fields. */
    private record Layout(int[] offsets, boolean[] threadOwn, boolean thread) {
    }

    private final HeapGraph graph;
    private final int size;
    private final int idSize;
    /** Object id by node; sorted within each kind (classes, instances, object arrays), primitive arrays left 0. */
    private final long[] ids;
    private final int instancesFrom;
    private final int arraysFrom;
    private final int arraysTo;
    private final boolean sorted;
    private final Map<Long, Layout> layouts = new HashMap<>();

    /** Edges read in one sequential pass: node n's targets are edges[start[n] .. start[n] + count[n]). */
    private final int[] start;
    private final int[] count;
    private int[] edges = new int[1 << 16];
    private int edgeCount;
    /** Thread instances: their edges depend on the proof's state, so they are read when needed. */
    private final java.util.BitSet threads = new java.util.BitSet();

    SharkGraph(HeapGraph graph, File hprof) {
        this.graph = graph;
        this.size = graph.getObjectCount();
        this.idSize = graph.getIdentifierByteSize();
        this.ids = new long[size];
        this.instancesFrom = graph.getClassCount();
        this.arraysFrom = instancesFrom + graph.getInstanceCount();
        this.arraysTo = arraysFrom + graph.getObjectArrayCount();
        for (HeapObject o : HeapAnalysis.iterable(graph.getClasses())) {
            put(o);
        }
        for (HeapObject o : HeapAnalysis.iterable(graph.getInstances())) {
            put(o);
        }
        for (HeapObject o : HeapAnalysis.iterable(graph.getObjectArrays())) {
            put(o);
        }
        this.sorted = ascending(0, instancesFrom) && ascending(instancesFrom, arraysFrom)
                && ascending(arraysFrom, arraysTo);
        this.start = new int[size];
        this.count = new int[size];
        readEdges(hprof);
    }

    /**
     * Reads every instance's and object array's references in file order (Shark's streaming reader), which is
     * many times faster than reading objects one by one at random positions during the marking.
     */
    private void readEdges(File hprof) {
        HprofHeader header = HprofHeader.Companion.parseHeaderOf(hprof);
        StreamingHprofReader reader = StreamingHprofReader.Companion.readerFor(hprof, header);
        reader.readRecords(java.util.EnumSet.of(HprofRecordTag.INSTANCE_DUMP, HprofRecordTag.OBJECT_ARRAY_DUMP),
                (tag, length, record) -> {
                    if (tag == HprofRecordTag.INSTANCE_DUMP) {
                        var instance = record.readInstanceDumpRecord();
                        int node = node(instance.getId());
                        if (node < 0) {
                            return;
                        }
                        Layout layout = layouts.computeIfAbsent(instance.getClassId(),
                                k -> layout(graph.findObjectById(k).getAsClass()));
                        if (layout.thread()) {
                            threads.set(node);
                            return;
                        }
                        start[node] = edgeCount;
                        byte[] values = instance.getFieldValues();
                        for (int offset : layout.offsets()) {
                            addEdge(node(readId(values, offset)));
                        }
                        count[node] = edgeCount - start[node];
                    } else {
                        var array = record.readObjectArrayDumpRecord();
                        int node = node(array.getId());
                        if (node < 0) {
                            return;
                        }
                        start[node] = edgeCount;
                        for (long id : array.getElementIds()) {
                            addEdge(node(id));
                        }
                        count[node] = edgeCount - start[node];
                    }
                });
    }

    private void addEdge(int to) {
        if (to < 0) {
            return;
        }
        if (edgeCount == edges.length) {
            edges = java.util.Arrays.copyOf(edges, edges.length + (edges.length >> 1));
        }
        edges[edgeCount++] = to;
    }

    private void put(HeapObject o) {
        int i = o.getObjectIndex();
        if (i >= 0 && i < size) {
            ids[i] = o.getObjectId();
        }
    }

    private boolean ascending(int from, int to) {
        for (int i = from + 1; i < to; i++) {
            if (Long.compareUnsigned(ids[i - 1], ids[i]) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** The node of an object id; -1 for null, primitive arrays and ids not in the dump. */
    int node(long id) {
        if (id == 0) {
            return -1;
        }
        if (!sorted) {
            return HeapAnalysis.node(graph, id);
        }
        int n = search(0, instancesFrom, id);
        if (n < 0) {
            n = search(instancesFrom, arraysFrom, id);
        }
        if (n < 0) {
            n = search(arraysFrom, arraysTo, id);
        }
        return n;
    }

    private int search(int from, int to, long id) {
        int lo = from;
        int hi = to - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Long.compareUnsigned(ids[mid], id);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void forEachEdge(int node, boolean opaqueThread, IntConsumer out) {
        if (node < instancesFrom || node >= arraysTo) {
            return; // classes: their statics are roots already; primitive arrays hold no references
        }
        if (!threads.get(node)) {
            for (int k = start[node], end = k + count[node]; k < end; k++) {
                out.accept(edges[k]);
            }
            return;
        }
        HeapObject o = HeapAnalysis.objectAt(graph, node);
        if (o instanceof HeapInstance i) {
            Layout layout = layouts.computeIfAbsent(i.getInstanceClassId(), k -> layout(i.getInstanceClass()));
            if (layout.offsets().length == 0) {
                return;
            }
            byte[] values = i.readRecord().getFieldValues();
            boolean threadOwnChecked = false;
            boolean followThreadOwn = false;
            for (int k = 0; k < layout.offsets().length; k++) {
                long id = readId(values, layout.offsets()[k]);
                if (id == 0) {
                    continue;
                }
                if (layout.threadOwn()[k]) {
                    if (!threadOwnChecked) {
                        // a waiting candidate's own Thread fields are its own state; an ended thread never
                        // runs its Runnable again (JDK 19+ keep it in holder.task)
                        followThreadOwn = !opaqueThread && !HeapAnalysis.terminated(i);
                        threadOwnChecked = true;
                    }
                    if (!followThreadOwn) {
                        continue;
                    }
                }
                out.accept(node(id));
            }
        } else if (o instanceof HeapObjectArray a) {
            for (long id : a.readRecord().getElementIds()) {
                if (id != 0) {
                    out.accept(node(id));
                }
            }
        }
    }

    private long readId(byte[] b, int at) {
        if (idSize == 4) {
            return ((b[at] & 0xffL) << 24) | ((b[at + 1] & 0xffL) << 16) | ((b[at + 2] & 0xffL) << 8) | (b[at + 3] & 0xffL);
        }
        long v = 0;
        for (int k = 0; k < 8; k++) {
            v = (v << 8) | (b[at + k] & 0xffL);
        }
        return v;
    }

    /** Field values are laid out class first, then each superclass, in declaration order. */
    private Layout layout(HeapClass cls) {
        List<Integer> offsets = new ArrayList<>();
        List<Boolean> own = new ArrayList<>();
        int at = 0;
        for (HeapClass c : HeapAnalysis.iterable(cls.getClassHierarchy())) {
            String declaring = c.getName();
            for (var field : c.readRecordFields()) {
                int type = field.getType();
                if (type == REFERENCE_TYPE) {
                    String name = c.instanceFieldName(field);
                    if (!skip(declaring, name)) {
                        offsets.add(at);
                        own.add(declaring.equals(HeapAnalysis.THREAD));
                    }
                    at += idSize;
                } else {
                    at += primitiveSize(type);
                }
            }
        }
        boolean[] ownArray = new boolean[own.size()];
        for (int k = 0; k < ownArray.length; k++) {
            ownArray[k] = own.get(k);
        }
        return new Layout(offsets.stream().mapToInt(Integer::intValue).toArray(), ownArray, own.contains(true));
    }

    private static int primitiveSize(int hprofType) {
        return switch (hprofType) {
            case 4, 8 -> 1; // boolean, byte
            case 5, 9 -> 2; // char, short
            case 6, 10 -> 4; // float, int
            case 7, 11 -> 8; // double, long
            default -> throw new IllegalStateException("unknown HPROF field type " + hprofType);
        };
    }

    private static boolean skip(String declaring, String name) {
        if (declaring.equals("java.lang.ref.Reference") && name.equals("referent")) {
            return true; // weak, soft, phantom and final references do not keep anything awake
        }
        // the JDK <= 18 list of all threads: "code that enumerates threads" is a documented caveat
        return declaring.equals("java.lang.ThreadGroup") && name.equals("threads");
    }
}
