package dev.opsbot.app.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.util.Locale;

/**
 * Log lines for an operator: one line per event, {@code plain} (time, level, logger, thread, the
 * run, environment and person where known, message) or {@code json} (logback's JSON encoder: one
 * object per line, for log shippers). Every event passes {@link LogRedaction} before it is
 * written, whichever format.
 */
public final class OperatorEncoder extends EncoderBase<ILoggingEvent> {
    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{30} [%thread] %opsbotContext%msg%n%ex";

    private String format = "plain";
    private Encoder<ILoggingEvent> delegate;
    private LogRedaction redaction;

    /** {@code plain} or {@code json} ({@code OPSBOT_LOG_FORMAT} in logback.xml). */
    public void setFormat(String format) {
        this.format = format == null || format.isBlank() ? "plain" : format.strip().toLowerCase(Locale.ROOT);
    }

    @Override
    public void start() {
        redaction = LogRedaction.of(getContext());
        delegate = switch (format) {
            case "json" -> json();
            case "plain" -> plain();
            default -> {
                addWarn("OPSBOT_LOG_FORMAT '" + format + "' is neither plain nor json: plain it is");
                yield plain();
            }
        };
        delegate.setContext(getContext());
        delegate.start();
        super.start();
    }

    private Encoder<ILoggingEvent> plain() {
        PatternLayout layout = new PatternLayout();
        layout.getInstanceConverterMap().put("opsbotContext", ContextConverter::new);
        layout.setContext(getContext());
        layout.setPattern(PATTERN);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setLayout(layout);
        return encoder;
    }

    private static Encoder<ILoggingEvent> json() {
        JsonEncoder encoder = new JsonEncoder();
        // The message formatted and redacted, not its template and arguments (an argument may be a secret).
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        encoder.setWithContext(false);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        return encoder;
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return delegate.encode(new RedactedEvent(event, redaction));
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }

    @Override
    public void stop() {
        if (delegate != null) delegate.stop();
        super.stop();
    }
}
