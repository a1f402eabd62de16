package dev.opsbot.app.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.opsbot.core.telemetry.LogContext;
import java.util.List;
import java.util.Map;

/** {@code run=12 env=prod user=slack:U0ALICE } with only what the event's context holds, or nothing. */
final class ContextConverter extends ClassicConverter {
    private static final List<String> KEYS = List.of(LogContext.RUN, LogContext.ENVIRONMENT, LogContext.USER);

    @Override
    public String convert(ILoggingEvent event) {
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc == null || mdc.isEmpty()) return "";
        StringBuilder out = new StringBuilder();
        for (String key : KEYS) {
            String value = mdc.get(key);
            if (value != null && !value.isEmpty()) out.append(key).append('=').append(value).append(' ');
        }
        return out.toString();
    }
}
