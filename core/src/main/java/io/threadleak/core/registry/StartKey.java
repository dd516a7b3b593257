package io.threadleak.core.registry;

import io.threadleak.core.site.CreationSite;

/**
 * What the creation site of a thread can be known by without walking its starter's stack: the class of the
 * application task it runs, or of the application's {@code Thread} subclass it is (a lambda or anonymous class is
 * one place in the source). One per class.
 *
 * <p>Walking the starter's stack is most of what the agent adds to a virtual thread's start (about 2 µs of a 6 µs
 * start on JDK 25). So, per task class and creator site: the first {@value #TEACH} starts are walked and must all
 * find the same site; after that one start in {@value #CHECK_EVERY} is walked to check, and the others are recorded
 * at the site the walks found. Once a walk finds another site (the same task class started from two places), every
 * start of that class is walked from then on. Starts counted at the old site before the check caught the second
 * place (at most {@value #CHECK_EVERY} - 1) stay counted there.
 */
public final class StartKey {

    /** No key: a JDK class (boot or platform loader) says nothing of where a thread is started. */
    private static final StartKey NO_KEY = new StartKey();
    /** The keys by task class, decided once per class; a class's key goes with it when it is unloaded. */
    private static final ClassValue<StartKey> KEYS = new ClassValue<>() {
        @Override
        protected StartKey computeValue(Class<?> type) {
            ClassLoader loader = type.getClassLoader();
            return loader == null || loader == ClassLoader.getPlatformClassLoader() ? NO_KEY : new StartKey();
        }
    };

    /** Walks that must agree before starts are recorded without one. */
    static final int TEACH = 8;
    /**
     * One start in this many is still walked; a power of two. A check is rare, so its walk runs cold: about 80 to
     * 120 µs on a platform thread's start among other starts and ends (JDK 25, this project's 2-CPU machine), where a
     * walk done on every start takes about 15. One in 16 cost about 7 µs per start, a third of the 1.05× budget of a
     * 220 µs start and join; one in 64 costs under 2.
     */
    static final int CHECK_EVERY = 64;

    private CreationSite creatorSite;
    private CreationSite site;
    private int taught;
    private volatile boolean ambiguous;
    private volatile CreationSite known;
    private volatile CreationSite knownCreatorSite;
    /** {@link #known} as it was first set, kept when the key turns ambiguous: where its unwalked starts went. */
    private volatile CreationSite firstKnown;
    /** Counts starts to pick the checked ones; updated without synchronisation (a lost update only moves a check). */
    private int starts;

    private StartKey() {
    }

    /**
     * The key of an application task ({@code body}, unwrapped from the JDK's executor wrappers) or of an
     * application's {@code Thread} subclass; {@code null} for {@code null} and for the JDK's own classes.
     */
    static StartKey of(Object body) {
        if (body == null) {
            return null;
        }
        StartKey key = KEYS.get(body.getClass());
        return key == NO_KEY ? null : key;
    }

    /**
     * The site of a thread started by a creator of {@code creatorSite}, when it can be recorded without a walk;
     * {@code null} when this start must be walked.
     */
    CreationSite siteWithoutWalk(CreationSite creatorSite) {
        CreationSite s = known;
        if (s == null || ambiguous || knownCreatorSite != creatorSite) {
            return null;
        }
        if ((++starts & (CHECK_EVERY - 1)) == 0) {
            return null;
        }
        return s;
    }

    /** A walk found {@code found} for a thread of this task class started by a creator of {@code creatorSite}. */
    synchronized void learn(CreationSite creatorSite, CreationSite found) {
        if (ambiguous || found == null) {
            return;
        }
        if (site == null) {
            site = found;
            this.creatorSite = creatorSite;
            taught = 1;
        } else if (this.creatorSite != creatorSite) {
            return; // started by another creator: this key answers for the first one only, the others walk
        } else if (site != found) {
            ambiguous = true;
            known = null;
            return;
        } else if (taught < TEACH) {
            taught++;
        }
        if (taught >= TEACH && known == null) {
            knownCreatorSite = creatorSite;
            known = site;
            firstKnown = site;
        }
    }

    /**
     * The site every start counted without a walk went to ({@link #siteWithoutWalk} only ever answers this one, and
     * keeps it when the key turns ambiguous), or {@code null} while none was.
     */
    CreationSite unwalkedSite() {
        return firstKnown;
    }

    /** Whether starts of this class are always walked (it was started from more than one place). */
    boolean ambiguous() {
        return ambiguous;
    }
}
