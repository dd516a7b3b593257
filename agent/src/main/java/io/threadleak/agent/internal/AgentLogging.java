package io.threadleak.agent.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.Logger;

/**
 * The agent's own logging: a private logback context (relocated inside the agent jar) configured in code.
 *
 * <p>It never goes through {@code LoggerFactory}, so it never looks for a {@code logback.xml} or an SLF4J
 * provider on the application's class path, and the application's own logging setup stays untouched.
 */
public final class AgentLogging {

    /** Name of the logger reports are written to. */
    public static final String LOGGER = "threadleak";

    private AgentLogging() {
    }

    /** A logger named {@code threadleak} writing to standard error at the given level. */
    public static Logger create(String level) {
        LoggerContext context = new LoggerContext();
        context.setName("threadleak");
        context.setMDCAdapter(new LogbackMDCAdapter());
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%logger] %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("stderr");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        ch.qos.logback.classic.Logger logger = context.getLogger(LOGGER);
        logger.setAdditive(false);
        logger.addAppender(appender);
        logger.setLevel(Level.toLevel(level, Level.INFO));
        context.start();
        return logger;
    }
}
