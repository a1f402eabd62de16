package dev.opsbot.core.engine;

import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.compose.ImagePinner;
import dev.opsbot.core.store.RunStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * How a run ended: status, the image changes it made, whether health was verified, why it failed,
 * and the services it changed or checked (for the health monitor, which held back their alerts).
 */
public record RunResult(long runId, RunRequest request, RunStatus status, List<ImagePinner.Change> changes,
                        boolean healthVerified, String failure, MessageRef liveMessage, Path log, Set<String> services) {
    public RunResult {
        changes = List.copyOf(changes);
        services = services == null ? Set.of() : Set.copyOf(services);
    }
}
