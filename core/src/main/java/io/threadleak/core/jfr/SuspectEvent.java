package io.threadleak.core.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A suspect that is new, grew, or resolved in a report. */
@Name(SuspectEvent.NAME)
@Label("Thread Leak Suspect")
@Category({"threadleak"})
@Description("A suspect of the threadleak agent that is new, grew, or resolved since its previous report")
@StackTrace(false)
final class SuspectEvent extends jdk.jfr.Event {

    static final String NAME = "io.threadleak.Suspect";

    @Label("Change")
    @Description("NEW, GROWN or RESOLVED")
    String change;

    @Label("Rule")
    String rule;

    @Label("Kind")
    @Description("What is counted: thread, task, executor, timer or queued task")
    String kind;

    @Label("Creation Site")
    @Description("The creation site's id, as in the JSON report")
    String site;

    @Label("Blame")
    @Description("The blamed frame, class.method(File.java:line)")
    String blame;

    @Label("Count")
    @Description("How many things it covers (for RESOLVED: the count last reported)")
    int count;

    @Label("Previous Count")
    @Description("The count reported before (0 when new)")
    int previousCount;
}
