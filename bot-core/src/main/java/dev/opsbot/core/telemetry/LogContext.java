package dev.opsbot.core.telemetry;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * The names under which a log line carries what it is about: the run, the environment and the
 * person. Whoever knows one puts it for the duration of the work ({@link #put}) so that every
 * line logged meanwhile on that thread says it; the logging configuration prints what is there.
 * The context stays on its thread: work handed to another executor puts it again there.
 */
public final class LogContext implements AutoCloseable {
    public static final String RUN = "run";
    public static final String ENVIRONMENT = "env";
    /** {@code platform:id}, as access rules name people. */
    public static final String USER = "user";

    /** What each key held before, null where it held nothing. */
    private final Map<String, String> previous = new LinkedHashMap<>();

    private LogContext(Map<String, String> values) {
        values.forEach((key, value) -> {
            previous.put(key, MDC.get(key));
            if (value == null) MDC.remove(key); else MDC.put(key, value);
        });
    }

    /** Sets {@code key} until {@link #close()}, which gives back what was there before. */
    public static LogContext put(String key, String value) {
        Map<String, String> one = new LinkedHashMap<>();
        one.put(key, value);
        return new LogContext(one);
    }

    /** Sets the run, the environment and the person at once (a null one is left out of the lines). */
    public static LogContext of(String run, String environment, String user) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put(RUN, run);
        all.put(ENVIRONMENT, environment);
        all.put(USER, user);
        return new LogContext(all);
    }

    @Override
    public void close() {
        previous.forEach((key, value) -> {
            if (value == null) MDC.remove(key); else MDC.put(key, value);
        });
    }
}
