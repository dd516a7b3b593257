package io.threadleak.core.jmx;

/** One suspect as JMX shows it (an open-type composite: rule, kind, status, count, blame, site, age, proof). */
public final class SuspectInfo {

    private final String rule;
    private final String kind;
    private final String status;
    private final int count;
    private final String blame;
    private final String site;
    private final long ageMillis;
    private final String proof;

    public SuspectInfo(String rule, String kind, String status, int count, String blame, String site, long ageMillis) {
        this(rule, kind, status, count, blame, site, ageMillis, "");
    }

    public SuspectInfo(String rule, String kind, String status, int count, String blame, String site, long ageMillis,
                       String proof) {
        this.rule = rule;
        this.kind = kind;
        this.status = status;
        this.count = count;
        this.blame = blame;
        this.site = site;
        this.ageMillis = ageMillis;
        this.proof = proof;
    }

    public String getRule() {
        return rule;
    }

    public String getKind() {
        return kind;
    }

    /** {@code NEW}, {@code GROWN} or {@code ONGOING}, since the latest logged report. */
    public String getStatus() {
        return status;
    }

    public int getCount() {
        return count;
    }

    public String getBlame() {
        return blame;
    }

    /** The creation site id of the JSON report, or empty. */
    public String getSite() {
        return site;
    }

    public long getAgeMillis() {
        return ageMillis;
    }

    /**
     * What a heap-dump proof said about a {@code STUCK} or {@code DEADLOCK} suspect: {@code PROVEN},
     * {@code PARTLY_PROVEN} or {@code NOT_PROVEN}, with when ({@code PROVEN by the heap dump of <time>}); empty when
     * it was not proven (docs/proven.md).
     */
    public String getProof() {
        return proof;
    }
}
