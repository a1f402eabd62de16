package dev.opsbot.core.dispatch;

import java.util.function.Supplier;

/** A value worked out on first use and kept for the rest of one command (the compose file, read once). */
final class Memo<T> implements Supplier<T> {
    private final Supplier<T> source;
    private T value;

    Memo(Supplier<T> source) {
        this.source = source;
    }

    @Override
    public T get() {
        if (value == null) value = source.get();
        return value;
    }
}
