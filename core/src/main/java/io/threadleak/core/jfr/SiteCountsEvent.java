package io.threadleak.core.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One creation site's live counts at one sample. */
@Name(SiteCountsEvent.NAME)
@Label("Thread Leak Site Counts")
@Category({"threadleak"})
@Description("Live threads, executors, timers and queued tasks of one creation site, at each sample of the "
        + "threadleak agent")
@StackTrace(false)
final class SiteCountsEvent extends jdk.jfr.Event {

    static final String NAME = "io.threadleak.SiteCounts";

    @Label("Creation Site")
    String site;

    @Label("Blame")
    String blame;

    @Label("Live Threads")
    int threads;

    @Label("Live Executors")
    int executors;

    @Label("Live Timers")
    int timers;

    @Label("Queued Tasks")
    int queued;
}
