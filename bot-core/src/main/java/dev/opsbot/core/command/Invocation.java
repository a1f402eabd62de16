package dev.opsbot.core.command;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** "/ops verb arg1 arg2 --flag value" as typed, split but not yet validated. */
public record Invocation(String verb, List<String> args, Map<String, String> flags) {
    public Invocation {
        Objects.requireNonNull(verb, "verb");
        args = List.copyOf(args);
        flags = Map.copyOf(flags);
    }

    /** The invocation as it would be typed again, for audit rows and messages. */
    public String display() {
        StringBuilder out = new StringBuilder(verb);
        args.forEach(a -> out.append(' ').append(a));
        flags.forEach((k, v) -> out.append(" --").append(k).append(v.isEmpty() ? "" : " " + v));
        return out.toString();
    }
}
