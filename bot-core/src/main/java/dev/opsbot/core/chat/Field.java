package dev.opsbot.core.chat;

import java.util.Objects;

/** A labelled value shown beside others (service, tag, who asked). */
public record Field(String name, String value) {
    public Field {
        Objects.requireNonNull(name, "name");
        value = value == null ? "" : value;
    }
}
