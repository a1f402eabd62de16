package dev.opsbot.core.engine;

import dev.opsbot.core.button.PendingButtons;
import dev.opsbot.core.chat.ChatPorts;
import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.git.ReleaseSettings;
import dev.opsbot.core.replica.ReplicaSettings;
import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.secrets.SecretSettings;
import dev.opsbot.core.store.AuditLog;
import dev.opsbot.core.store.DeployStore;
import dev.opsbot.core.store.LockStore;
import dev.opsbot.core.store.RunStore;
import dev.opsbot.core.swarm.SwarmHost;
import dev.opsbot.core.telemetry.Telemetry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * What runs need from the rest of the bot: the stack and the engine it runs on, the stores a
 * run writes, the chat ports and buttons it talks through, where its logs go, and the release
 * and secret settings its steps read; the environment's name and where what runs do is counted;
 * which replica this is (runs record it as their owner). {@code swarm} is null where the stack is
 * not a swarm stack.
 */
public record RunServices(Stack stack, DockerHost docker, SwarmHost swarm, RunStore runs, LockStore locks, DeployStore deploys,
                          AuditLog audit, ChatPorts ports, Redactor redactor, PendingButtons buttons, Path logDir, Clock clock,
                          ReleaseSettings release, SecretSettings secrets, String environment, Telemetry telemetry,
                          ReplicaSettings replica) {
    public RunServices {
        Objects.requireNonNull(stack, "stack");
        Objects.requireNonNull(docker, "docker");
        Objects.requireNonNull(runs, "runs");
        Objects.requireNonNull(locks, "locks");
        Objects.requireNonNull(deploys, "deploys");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(redactor, "redactor");
        Objects.requireNonNull(buttons, "buttons");
        Objects.requireNonNull(logDir, "logDir");
        Objects.requireNonNull(clock, "clock");
        release = release == null ? ReleaseSettings.none() : release;
        secrets = secrets == null ? SecretSettings.defaults() : secrets;
        environment = environment == null ? stack.name() : environment;
        telemetry = telemetry == null ? Telemetry.NONE : telemetry;
        replica = replica == null ? ReplicaSettings.defaults() : replica;
    }
}
