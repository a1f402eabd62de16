package dev.opsbot.core.engine;

import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.compose.ImagePinner;
import dev.opsbot.core.store.RunStatus;
import java.nio.file.Path;
import java.util.List;

/** How a run ended: status, the image changes it made, whether health was verified, and why it failed. */
public record RunResult(long runId, RunRequest request, RunStatus status, List<ImagePinner.Change> changes,
                        boolean healthVerified, String failure, MessageRef liveMessage, Path log) {
    public RunResult {
        changes = List.copyOf(changes);
    }
}
