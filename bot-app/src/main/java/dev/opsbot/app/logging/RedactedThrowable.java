package dev.opsbot.app.logging;

import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/** An exception as logged, with its message and those of its causes and suppressed ones redacted. */
record RedactedThrowable(IThrowableProxy original, UnaryOperator<String> redactor) implements IThrowableProxy {

    static IThrowableProxy of(IThrowableProxy original, UnaryOperator<String> redactor) {
        return original == null ? null : new RedactedThrowable(original, redactor);
    }

    @Override
    public String getMessage() {
        return redactor.apply(original.getMessage());
    }

    @Override
    public String getOverridingMessage() {
        return redactor.apply(original.getOverridingMessage());
    }

    @Override
    public String getClassName() {
        return original.getClassName();
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
        return original.getStackTraceElementProxyArray();
    }

    @Override
    public int getCommonFrames() {
        return original.getCommonFrames();
    }

    @Override
    public IThrowableProxy getCause() {
        return of(original.getCause(), redactor);
    }

    @Override
    public IThrowableProxy[] getSuppressed() {
        IThrowableProxy[] suppressed = original.getSuppressed();
        return suppressed == null ? null : Arrays.stream(suppressed).map(s -> of(s, redactor)).toArray(IThrowableProxy[]::new);
    }

    @Override
    public boolean isCyclic() {
        return original.isCyclic();
    }
}
