package io.threadleak.core.site;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Interns creation sites. A site is the part of a creation stack from the thread start down to the blamed
 * frame: the same line reached through different callers is one site, so one leaking line is one suspect,
 * however many paths lead to it. The first full stack seen is kept to show those callers. A stack without an
 * application frame is a site of its own per creating site (whose blame it borrows). Bounded: past
 * {@code maxSites} sites, new ones are folded into one site per blame frame.
 */
public final class SiteTable {

    private final ConcurrentHashMap<Key, CreationSite> sites = new ConcurrentHashMap<>();
    /** The same sites, found from walked frames without allocating: see {@link #find}. Grows under the lock. */
    private volatile Entry[] index = new Entry[64];
    private int indexed;
    private final AtomicInteger ids = new AtomicInteger();
    private final FramePolicy policy;
    private final int maxSites;

    public SiteTable(FramePolicy policy, int maxSites) {
        this.policy = policy;
        this.maxSites = maxSites;
    }

    public FramePolicy policy() {
        return policy;
    }

    /**
     * The site for a thread created with this stack by a thread whose own site is {@code creatorSite}
     * ({@code null} when unknown). Cheap when the site exists: no line numbers are resolved.
     */
    public CreationSite intern(StackCapture.RawStack stack, CreationSite creatorSite) {
        return internHead(stack, null, creatorSite);
    }

    /**
     * The site of the calling thread's stack: walks only down to the blamed frame, and the whole stack only
     * when the site is new. This is the thread-start hot path.
     */
    public CreationSite intern(StackCapture capture, CreationSite creatorSite) {
        return internHead(capture.head(policy), capture, creatorSite);
    }

    /**
     * The site of a stack head already walked down to its first blameable frame; {@code capture} takes the
     * whole stack only when the site is new.
     */
    public CreationSite intern(StackCapture.RawStack head, StackCapture capture, CreationSite creatorSite) {
        return internHead(head, capture, creatorSite);
    }

    /**
     * The site of a stack head walked down to its first blameable frame (or {@code stackDepth} frames), if that
     * site exists: the thread-start fast path. Allocates nothing; {@code null} when the site is new.
     */
    public CreationSite find(List<StackWalker.StackFrame> head, CreationSite creatorSite) {
        int n = head.size();
        if (n == 0) {
            return null;
        }
        boolean own = policy.isBlameable(head.get(n - 1).getClassName());
        CreationSite parent = own || creatorSite == null || creatorSite.jdkInternal() ? null : creatorSite;
        int h = 1;
        for (int i = 0; i < n; i++) {
            StackWalker.StackFrame f = head.get(i);
            h = 31 * (31 * (31 * h + f.getClassName().hashCode()) + f.getMethodName().hashCode())
                    + f.getByteCodeIndex();
        }
        int hash = mix(h, parent);
        Entry[] table = index;
        for (Entry e = table[hash & (table.length - 1)]; e != null; e = e.next) {
            if (e.hash == hash && e.parent == parent && e.stack.sameFrames(head)) {
                return e.site;
            }
        }
        return null;
    }

    private static int mix(int stackHash, CreationSite parent) {
        int h = 31 * stackHash + (parent == null ? 0 : System.identityHashCode(parent));
        return h ^ (h >>> 16);
    }

    private void index(Key key, CreationSite site) {
        synchronized (this) {
            Entry[] table = index;
            if (indexed + 1 > table.length * 3 / 4) {
                Entry[] bigger = new Entry[table.length * 2];
                for (Entry head : table) {
                    for (Entry e = head; e != null; e = e.next) {
                        int i = e.hash & (bigger.length - 1);
                        bigger[i] = new Entry(e.hash, e.stack, e.parent, e.site, bigger[i]);
                    }
                }
                table = bigger;
            }
            int hash = mix(key.stack().hashCode(), key.parent());
            int i = hash & (table.length - 1);
            table[i] = new Entry(hash, key.stack(), key.parent(), site, table[i]);
            indexed++;
            index = table;
        }
    }

    /** One site in {@link #index}: immutable, so readers need no lock. */
    private record Entry(int hash, StackCapture.RawStack stack, CreationSite parent, CreationSite site, Entry next) {
    }

    private CreationSite internHead(StackCapture.RawStack stack, StackCapture fullCapture, CreationSite creatorSite) {
        int own = policy.blameIndex(stack.classes());
        CreationSite parent = own >= 0 || creatorSite == null || creatorSite.jdkInternal() ? null : creatorSite;
        Key key = new Key(stack.head(own >= 0 ? own + 1 : stack.length()), parent);
        CreationSite site = sites.get(key);
        if (site != null) {
            return site;
        }
        StackTraceElement[] frames = (fullCapture != null && own >= 0 ? fullCapture.capture() : stack).resolve();
        if (sites.size() >= maxSites) {
            return folded(frames, own, parent);
        }
        return sites.computeIfAbsent(key, k -> {
            CreationSite created = create(frames, own, parent);
            index(k, created);
            return created;
        });
    }

    private CreationSite folded(StackTraceElement[] frames, int own, CreationSite parent) {
        int keep = own >= 0 ? own : policy.fallbackIndex(frames);
        StackTraceElement[] head = keep >= 0 ? new StackTraceElement[] {frames[keep]} : new StackTraceElement[0];
        int foldedOwn = own >= 0 ? 0 : -1;
        return sites.computeIfAbsent(new Key(StackCapture.of(head), parent), k -> create(head, foldedOwn, parent));
    }

    private CreationSite create(StackTraceElement[] frames, int own, CreationSite parent) {
        return new CreationSite("s" + ids.incrementAndGet(), frames, own, parent,
                own >= 0 ? -1 : policy.fallbackIndex(frames));
    }

    /** Every site interned so far. */
    public Collection<CreationSite> all() {
        return sites.values();
    }

    private record Key(StackCapture.RawStack stack, CreationSite parent) {
    }
}
