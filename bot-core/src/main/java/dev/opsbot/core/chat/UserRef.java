package dev.opsbot.core.chat;

import java.util.Objects;
import java.util.Set;

/**
 * A person on one platform. {@code groups} holds the platform's group memberships the adapter
 * resolved (Slack user group ids, Discord role ids); the core maps them to its own roles.
 */
public record UserRef(String platform, String id, String name, Set<String> groups) {
    public UserRef {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(id, "id");
        name = name == null || name.isBlank() ? id : name;
        groups = groups == null ? Set.of() : Set.copyOf(groups);
    }

    public static UserRef of(String platform, String id) {
        return new UserRef(platform, id, id, Set.of());
    }

    /** The form used in audit rows and messages: {@code platform:id}. */
    public String key() {
        return platform + ":" + id;
    }
}
