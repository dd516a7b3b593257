package io.threadleak.prove;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code prove <pid> [--format text|json] [--keep-dump] [--strict] [--no-record]}: takes a heap dump of live objects of a
 * running HotSpot JVM and proves which of its waiting threads can never wake up (see {@code docs/proven.md}).
 *
 * <p>The whole public surface is {@link #run} and {@link #main}; the agent jar's CLI calls {@code run} with the
 * arguments after its own command name (or with them, {@code prove} first, as here). The heap analysis runs in
 * this JVM, never in the target.
 *
 * <p>Exit status: 0 when the analysis ran (whatever it proved), 1 when the dump was refused or failed, 2 on bad
 * usage.
 *
 * <p>When the threadleak agent runs in the target, the result is also recorded there (its MXBean's
 * {@code recordProof}), so its reports mark the suspects proven or not; {@code --no-record} leaves the target
 * alone (the agent's own {@code prove=} option uses it: it reads the output itself).
 */
public final class ProveCommand {

    static final String USAGE = "usage: prove <pid> [--format text|json] [--keep-dump] [--strict] [--no-record]";

    private ProveCommand() {
    }

    public static void main(String[] args) {
        int status = run(List.of(args), System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the command.
     *
     * @param args {@code [prove] <pid> [--format text|json] [--keep-dump] [--strict] [--no-record]}
     * @return the exit status
     */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(args);
        if (!rest.isEmpty() && rest.get(0).equals("prove")) {
            rest.remove(0);
        }
        Long pid = null;
        boolean json = false;
        boolean keep = false;
        boolean strict = false;
        boolean record = true;
        for (int i = 0; i < rest.size(); i++) {
            String a = rest.get(i);
            switch (a) {
                case "--format" -> {
                    String f = i + 1 < rest.size() ? rest.get(++i) : "";
                    if (!f.equals("text") && !f.equals("json")) {
                        return usage(err, "--format takes text or json, got '" + f + "'");
                    }
                    json = f.equals("json");
                }
                case "--keep-dump" -> keep = true;
                case "--strict" -> strict = true;
                case "--no-record" -> record = false;
                default -> {
                    if (pid != null || !a.matches("[0-9]+")) {
                        return usage(err, "unexpected argument '" + a + "'");
                    }
                    pid = Long.parseLong(a);
                }
            }
        }
        if (pid == null) {
            return usage(err, "missing <pid>");
        }
        TargetDump dump;
        try {
            dump = TargetDump.take(pid);
        } catch (TargetDump.DumpException e) {
            err.println("threadleak prove: " + e.getMessage());
            return 1;
        }
        try {
            HeapAnalysis.Verdict verdict = HeapAnalysis.analyse(dump.file.toFile(), dump.threads, dump.jdkFeature, strict);
            String jsonText = Report.json(dump, verdict, strict, keep);
            if (json) {
                out.println(jsonText);
            } else {
                out.print(Report.text(dump, verdict, strict, keep));
            }
            out.flush();
            if (record) {
                String recorded = AgentRecord.record(pid, jsonText);
                (json ? err : out).println((json ? "threadleak prove: " : "") + recorded);
            }
            return 0;
        } catch (OutOfMemoryError e) {
            err.println("threadleak prove: out of memory analysing a " + (dump.dumpBytes() >> 20) + " MB dump; give the"
                    + " command's JVM more heap (-Xmx), about 2 GB per GB of the target's live heap");
            return 1;
        } catch (RuntimeException e) {
            err.println("threadleak prove: cannot analyse the dump " + dump.file + ": " + e);
            e.printStackTrace(err);
            return 1;
        } finally {
            if (!keep) {
                dump.close();
            }
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println("threadleak prove: " + problem);
        err.println(USAGE);
        return 2;
    }
}
