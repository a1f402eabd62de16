package dev.opsbot.core.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.command.CommandSpec;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RepoRoot;
import dev.opsbot.core.testing.TestBot;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A new built-in is one class and one line in a services file: help lists it, menus offer it, the bot answers it. */
@Timeout(60)
class AddedBuiltinTest {
    @TempDir
    Path dir;

    @Test
    void aBuiltinListedInAServicesFileIsAnsweredListedAndOffered() throws Exception {
        Path plugin = Files.createDirectories(dir.resolve("plugin/META-INF/services"));
        Files.writeString(plugin.resolve(BuiltinCommand.class.getName()), Uptime.class.getName() + "\n");
        Path stackDir = Files.createDirectories(dir.resolve("stack"));
        Files.copy(RepoRoot.get().resolve("examples/demo/docker-compose.yml"), stackDir.resolve("docker-compose.yml"));
        Stack stack = new Stack("demo", stackDir.resolve("docker-compose.yml"), "opsbot-added", Map.of());
        RecordingChatPort chat = new RecordingChatPort();
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.resolve("plugin").toUri().toURL()}, before);
             DockerEngine unreachable = DockerEngine.connect("unix://" + dir.resolve("no-docker.sock"))) {
            thread.setContextClassLoader(loader);
            TestBot bot;
            try {
                bot = new TestBot(dir, stack, unreachable.host(), chat);
            } finally {
                thread.setContextClassLoader(before);
            }
            try (bot) {
                List<String> menu = bot.bot.commands().stream().map(CommandSpec::verb).toList();
                assertEquals("uptime", menu.get(9), "offered after the shipped built-ins: " + menu);

                bot.type("alice", "help", chat);
                String help = chat.awaitWhisper(0, Duration.ofSeconds(20)).message().plainText();
                assertTrue(help.contains("/ops uptime — how many runs this bot has recorded"), help);

                int from = chat.size();
                bot.type("alice", "uptime", chat);
                RecordingChatPort.Event answer = chat.awaitPostWithTitle(from, "Up", Duration.ofSeconds(20));
                assertEquals("0 runs recorded.", answer.message().text());
            }
        }
    }
}
