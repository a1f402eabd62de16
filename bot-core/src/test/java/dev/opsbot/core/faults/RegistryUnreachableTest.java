package dev.opsbot.core.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import dev.opsbot.core.testing.TestBot;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault: the registry cannot be reached when a deploy pulls. The stack's images come from a
 * registry address of the test's own (a loopback port nobody listens on: every connection is
 * refused), the running images tagged there locally, so the stack is up as a deployed one would be.
 * The deploy stops at its pull, the channel says which registry did not answer and that nothing was
 * changed; the compose file and the containers are as before, and no rollback is offered.
 */
@Timeout(120)
class RegistryUnreachableTest {
    private static final Duration QUICK = Duration.ofSeconds(30);
    private static final List<String> SERVICES = List.of("proxy", "backend", "worker", "web");

    @TempDir
    Path dir;
    private final List<String> tagged = new ArrayList<>();

    @AfterEach
    void untag() throws Exception {
        for (String image : tagged) docker("rmi", image);
    }

    @Test
    void aPullFromARegistryThatRefusesChangesNothingAndSaysSo() throws Exception {
        String registry = "127.0.0.1:" + refusingPort();
        RecordingChatPort chat = new RecordingChatPort();
        try (DockerEngine docker = DockerSupport.connect(); DemoStack stack = new DemoStack(docker.host(), dir)) {
            for (String service : SERVICES) {
                String image = registry + "/opsbot-demo/" + service + ":" + DemoStack.GOOD;
                docker("tag", "127.0.0.1:5000/opsbot-demo/" + service + ":" + DemoStack.GOOD, image);
                tagged.add(image);
            }
            Files.writeString(stack.composeFile(), stack.composeText().replace("127.0.0.1:5000/", registry + "/"));
            stack.upAndMigrate();
            String compose = stack.composeText();
            Map<String, String> before = containerIds(stack);

            try (TestBot bot = new TestBot(dir.resolve("bot"), stack.stack(), docker.host(), chat)) {
                bot.type("alice", "deploy " + DemoStack.NEWER, chat);
                Event ask = chat.awaitPostWithTitle(0, "Confirm: deploy " + DemoStack.NEWER, QUICK);
                Button confirm = ask.message().buttons().stream().filter(b -> b.label().equals("Confirm")).findFirst().orElseThrow();
                long pressed = System.nanoTime();
                bot.press("alice", confirm.token(), ask.ref(), chat);
                Event live = chat.awaitPostWithTitle(0, "Running: deploy " + DemoStack.NEWER, QUICK);

                Message failed = chat.awaitState(live.ref(), m -> m.tone() != Tone.PROGRESS, QUICK);
                long toldMillis = (System.nanoTime() - pressed) / 1_000_000;
                String text = failed.plainText();
                assertEquals(Tone.FAILURE, failed.tone(), text);
                assertTrue(text.contains("Failed at step 1/7 (pull backend, worker at " + DemoStack.NEWER + ")"), text);
                assertTrue(text.contains("the registry " + registry + " cannot be reached (connection refused)"), text);
                assertTrue(text.contains("Done before: nothing."), text);
                assertTrue(text.contains("Nothing was changed"), text);
                assertEquals(compose, stack.composeText(), "the compose file is as it was");
                assertEquals(before, containerIds(stack), "no container was replaced");
                assertTrue(bot.bot.lock().isEmpty(), "the stack is not left locked");
                assertTrue(chat.events().stream().noneMatch(e -> e.message() != null && e.message().title().contains("roll back?")),
                        "nothing changed, so no rollback is offered: " + chat.describe(0));
                System.out.println("fault figure: registry refusing during pull, the user told " + toldMillis + " ms after Confirm");
            }
        }
    }

    /** A loopback port that was free a moment ago and is closed now: connections to it are refused. */
    private static int refusingPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Map<String, String> containerIds(DemoStack stack) {
        return stack.services().values().stream().collect(Collectors.toMap(ServiceContainer::service, ServiceContainer::id));
    }

    private static void docker(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException(command + ": " + out);
    }
}
