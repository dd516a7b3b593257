package io.threadleak.core.report;

import org.slf4j.Logger;

/**
 * Writes a report to the agent's logger: one summary line, a block per new or grown suspect, a line per
 * resolved suspect and, at shutdown, a line per executor or timer never shut down.
 */
public final class ReportLog {

    private final TextRenderer text = new TextRenderer();

    public void write(Logger log, Report report) {
        log.info(text.summary(report));
        for (String block : text.blocks(report)) {
            log.warn(block);
        }
        for (String line : text.resolved(report)) {
            log.info(line);
        }
        for (String line : text.unclosed(report)) {
            log.info(line);
        }
    }
}
