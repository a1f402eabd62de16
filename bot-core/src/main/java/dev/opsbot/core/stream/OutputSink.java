package dev.opsbot.core.stream;

/** Where step output goes: raw text as it arrives (it may end mid-line). */
@FunctionalInterface
public interface OutputSink {

    void write(String text);

    default void line(String text) {
        write(text + "\n");
    }

    OutputSink NONE = text -> { };
}
