package io.threadleak.core.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A report file rewritten whole for every report, through a temporary file moved into place, so a reader
 * (a browser reloading the HTML report) never sees half a document. A failure is told once (through
 * {@code warn}), until a write succeeds again.
 */
public final class ReportFile {

    private final Path file;
    private final String what;
    private final Function<Report, String> renderer;
    private boolean failed;

    /**
     * @param file     the file, or {@code null} for none
     * @param what     what it holds, for the warning ({@code the HTML report})
     * @param renderer renders a report to the file's content
     */
    public ReportFile(Path file, String what, Function<Report, String> renderer) {
        this.file = file;
        this.what = what;
        this.renderer = renderer;
    }

    public void write(Report report, Consumer<String> warn) {
        if (file == null) {
            return;
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Path tmp = (dir == null ? Path.of(".") : dir).resolve(file.getFileName() + ".tmp");
            Files.writeString(tmp, renderer.apply(report));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            failed = false;
        } catch (IOException | RuntimeException e) {
            if (!failed) {
                failed = true;
                warn.accept("cannot write " + what + " to " + file + ": " + e);
            }
        }
    }
}
