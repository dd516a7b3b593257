package io.threadleak.core.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;

/**
 * The JSON report file ({@code json=}): rewritten whole for every report, through a temporary file moved into
 * place, so a reader never sees half a document. A failure is told once (through {@code warn}), until a write
 * succeeds again.
 */
public final class JsonReportFile {

    private final Path file;
    private final JsonRenderer json = new JsonRenderer();
    private boolean failed;

    /** @param file the report file, or {@code null} for none */
    public JsonReportFile(Path file) {
        this.file = file;
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
            Files.writeString(tmp, json.render(report));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            failed = false;
        } catch (IOException | RuntimeException e) {
            if (!failed) {
                failed = true;
                warn.accept("cannot write the JSON report to " + file + ": " + e);
            }
        }
    }
}
