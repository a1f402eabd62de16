package dev.opsbot.core.health;

import dev.opsbot.core.Bot;
import dev.opsbot.core.BotSettings;
import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.UserRef;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.secrets.EnvSecrets;
import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RepoRoot;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A bot with a health monitor on a database file in {@code dir}: closing it and building another
 * on the same folder is a restart. Alerts go to {@link RecordingChatPort#CHANNEL}.
 */
final class AlertHarness implements AutoCloseable {
    final Bot bot;
    final HealthMonitor monitor;
    final Database db;

    AlertHarness(Path dir, Stack stack, DockerEngine docker, RecordingChatPort chat, MonitorSettings settings) {
        this.db = Database.open(dir.resolve("db/opsbot"));
        Redactor redactor = new Redactor(new EnvSecrets(List.of(stack.composeFile().toAbsolutePath().getParent().resolve(".env"))));
        this.bot = new Bot(new BotSettings(stack, RepoRoot.get().resolve("runbooks"), dir.resolve("logs"), Duration.ofMinutes(10), null,
                AccessPolicy.openToAll()), docker.host(), db, redactor, Clock.systemUTC());
        this.monitor = new HealthMonitor(stack, settings, docker.host(), docker.watch(), db, redactor, Clock.systemUTC());
        bot.register(chat);
        bot.monitorHealth(monitor);
        bot.start();
    }

    /** Docker healthchecks only, told to the test channel, with the given event-stream pause and re-read interval. */
    static MonitorSettings dockerOnly(Duration reconnectAfter, Duration reconcileEvery) {
        return new MonitorSettings(true, List.of(), null, null, Map.of(Severity.CRITICAL, List.of(RecordingChatPort.CHANNEL)),
                0, null, reconcileEvery, reconnectAfter, null);
    }

    static Origin as(String user) {
        return new Origin(RecordingChatPort.CHANNEL, new UserRef(RecordingChatPort.PLATFORM, user, user, Set.of()));
    }

    void type(String user, String text) {
        bot.onCommand(as(user), text);
    }

    void press(String user, String token, MessageRef message) {
        bot.onPress(as(user), token, message);
    }

    @Override
    public void close() {
        bot.close();
        db.close();
    }
}
