package dev.opsbot.core.telemetry;

import org.slf4j.MDC;

/**
 * The names under which a log line carries what it is about: the run, the environment and the
 * person. Whoever knows one puts it for the duration of the work ({@link #put}) so that every
 * line logged meanwhile on that thread says it; the logging configuration prints what is there.
 */
public final class LogContext implements AutoCloseable {
    public static final String RUN = "run";
    public static final String ENVIRONMENT = "env";
    /** {@code platform:id}, as access rules name people. */
    public static final String USER = "user";

    private final String key;
    private final String previous;

    private LogContext(String key, String value) {
        this.key = key;
        this.previous = MDC.get(key);
        if (value == null) MDC.remove(key); else MDC.put(key, value);
    }

    /** Sets {@code key} until {@link #close()}, which gives back what was there before. */
    public static LogContext put(String key, String value) {
        return new LogContext(key, value);
    }

    @Override
    public void close() {
        if (previous == null) MDC.remove(key); else MDC.put(key, previous);
    }
}
