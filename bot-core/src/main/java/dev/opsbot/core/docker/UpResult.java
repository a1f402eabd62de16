package dev.opsbot.core.docker;

import java.util.List;

/** What {@code up} did: services recreated, created, left as they were, orphans removed. */
public record UpResult(List<String> recreated, List<String> created, List<String> unchanged, List<String> removedOrphans) {
    public UpResult {
        recreated = List.copyOf(recreated);
        created = List.copyOf(created);
        unchanged = List.copyOf(unchanged);
        removedOrphans = List.copyOf(removedOrphans);
    }
}
