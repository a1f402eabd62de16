package dev.opsbot.app.logging;

import ch.qos.logback.core.Context;
import dev.opsbot.core.secrets.Redactor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.slf4j.ILoggerFactory;

/**
 * The redactors every log line passes: token shapes always, and each environment's secret
 * values while its runtime is open. It lives in the logging context's object map, where the
 * encoder finds it and the runtime registers its redactors, so nothing static holds it.
 */
public final class LogRedaction implements UnaryOperator<String> {
    static final String KEY = "opsbot.log-redaction";

    private final List<UnaryOperator<String>> redactors = new CopyOnWriteArrayList<>(List.of(Redactor.shapesOnly()));

    /** The one of this logging context, made on first use. */
    static LogRedaction of(Context context) {
        synchronized (context.getConfigurationLock()) {
            Object existing = context.getObject(KEY);
            if (existing instanceof LogRedaction r) return r;
            LogRedaction created = new LogRedaction();
            context.putObject(KEY, created);
            return created;
        }
    }

    /**
     * The one of the application's logging, when logback is the slf4j provider; otherwise one that
     * only this caller uses (the logs then do not pass it: a test classpath with another provider).
     */
    public static LogRedaction of(ILoggerFactory factory) {
        return factory instanceof Context context ? of(context) : new LogRedaction();
    }

    /** Adds a redactor until the returned handle is closed. */
    public AutoCloseable add(UnaryOperator<String> redactor) {
        redactors.add(redactor);
        return () -> redactors.remove(redactor);
    }

    @Override
    public String apply(String text) {
        if (text == null || text.isEmpty()) return text;
        String out = text;
        for (UnaryOperator<String> r : redactors) out = r.apply(out);
        return out;
    }
}
