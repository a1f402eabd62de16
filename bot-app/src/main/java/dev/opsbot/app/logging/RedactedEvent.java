package dev.opsbot.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * A log event as the encoders see it: the message formatted once and redacted (the arguments are
 * withheld, since a secret may be one), the exception's messages, the context values and
 * key-value pairs redacted. Everything else is the original's.
 */
final class RedactedEvent implements ILoggingEvent {
    private final ILoggingEvent original;
    private final UnaryOperator<String> redactor;
    private final String message;

    RedactedEvent(ILoggingEvent original, UnaryOperator<String> redactor) {
        this.original = original;
        this.redactor = redactor;
        this.message = redactor.apply(original.getFormattedMessage());
    }

    @Override
    public String getMessage() {
        return message;
    }

    @Override
    public Object[] getArgumentArray() {
        return null;
    }

    @Override
    public String getFormattedMessage() {
        return message;
    }

    @Override
    public IThrowableProxy getThrowableProxy() {
        return RedactedThrowable.of(original.getThrowableProxy(), redactor);
    }

    @Override
    public Map<String, String> getMDCPropertyMap() {
        Map<String, String> mdc = original.getMDCPropertyMap();
        if (mdc == null || mdc.isEmpty()) return mdc;
        Map<String, String> redacted = new LinkedHashMap<>();
        mdc.forEach((k, v) -> redacted.put(k, redactor.apply(v)));
        return redacted;
    }

    @Override
    @SuppressWarnings("deprecation")
    public Map<String, String> getMdc() {
        return getMDCPropertyMap();
    }

    @Override
    public List<KeyValuePair> getKeyValuePairs() {
        List<KeyValuePair> pairs = original.getKeyValuePairs();
        if (pairs == null) return null;
        return pairs.stream().map(p -> new KeyValuePair(p.key, p.value == null ? null : redactor.apply(String.valueOf(p.value)))).toList();
    }

    @Override
    public String getThreadName() {
        return original.getThreadName();
    }

    @Override
    public Level getLevel() {
        return original.getLevel();
    }

    @Override
    public String getLoggerName() {
        return original.getLoggerName();
    }

    @Override
    public LoggerContextVO getLoggerContextVO() {
        return original.getLoggerContextVO();
    }

    @Override
    public StackTraceElement[] getCallerData() {
        return original.getCallerData();
    }

    @Override
    public boolean hasCallerData() {
        return original.hasCallerData();
    }

    @Override
    public List<Marker> getMarkerList() {
        return original.getMarkerList();
    }

    @Override
    public long getTimeStamp() {
        return original.getTimeStamp();
    }

    @Override
    public int getNanoseconds() {
        return original.getNanoseconds();
    }

    @Override
    public long getSequenceNumber() {
        return original.getSequenceNumber();
    }

    @Override
    public void prepareForDeferredProcessing() {
        original.prepareForDeferredProcessing();
    }
}
