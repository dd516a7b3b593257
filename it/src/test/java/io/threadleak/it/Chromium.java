package io.threadleak.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium for the HTML report's tests: loads a page from disk, lets its script run, and returns the
 * rendered DOM and the browser's log (console messages included). Where no Chromium is installed the calling
 * test is skipped with the reason, never passed; {@code .ci/run} installs it.
 */
final class Chromium {

    private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable");

    /** What the browser left. */
    record Page(String dom, String log) {
    }

    private Chromium() {
    }

    /** The browser: {@code -Dthreadleak.chromium=<path>}, else a usual install path; skips the test if none. */
    static Path require() {
        Optional<Path> found = find();
        Assumptions.assumeTrue(found.isPresent(), () -> "no Chromium to render the HTML report in (looked at "
                + CANDIDATES + "; install the Debian package chromium, as .ci/run does, or set "
                + "-Dthreadleak.chromium=<path>)");
        return found.get();
    }

    static Optional<Path> find() {
        String given = System.getProperty("threadleak.chromium");
        if (given != null && !given.isBlank()) {
            return Optional.of(Path.of(given)).filter(Files::isExecutable);
        }
        return CANDIDATES.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /**
     * Opens {@code file} headless (no sandbox, as root in containers; no GPU; every background network feature
     * off), gives its script three seconds of virtual time, and dumps the DOM.
     */
    static Page dumpDom(Path browser, Path file, Path workDir) {
        try {
            Path profile = Files.createDirectories(workDir.resolve("chromium-profile"));
            Path out = workDir.resolve("dom.html");
            Path log = workDir.resolve("chromium.log");
            List<String> command = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox",
                    "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
                    "--disable-extensions", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
                    "--virtual-time-budget=3000", "--dump-dom", file.toUri().toString()));
            Files.writeString(workDir.resolve("chromium-command.txt"), String.join(" ", command) + "\n");
            Process p = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(log.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail("Chromium did not finish within 120 s: " + command + "\n" + read(log));
            }
            String dom = read(out);
            if (p.exitValue() != 0 || dom.isBlank()) {
                fail("Chromium exited " + p.exitValue() + " without a DOM: " + command + "\n" + read(log));
            }
            return new Page(dom, read(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while Chromium ran", e);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
