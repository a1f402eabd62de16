package dev.opsbot.core.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.stream.OutputSink;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import dev.opsbot.core.testing.TestBot;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault: a host port the stack publishes is taken by another process while its service is down.
 * The web container was stopped by hand and this test's own process listens on its port. A deploy
 * then reaches {@code up}, which would start web again: it refuses before it stops anything, naming
 * the port and the process that holds it; backend and worker keep running in their old containers.
 */
@Timeout(120)
class PortTakenDuringUpTest {
    private static final Duration QUICK = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void upRefusesBeforeStoppingAnythingAndNamesThePortAndItsProcess() throws Exception {
        RecordingChatPort chat = new RecordingChatPort();
        try (DockerEngine docker = DockerSupport.connect(); DemoStack demo = new DemoStack(docker.host(), dir)) {
            int port = freePort();
            Stack stack = new Stack("demo", demo.composeFile(), demo.stack().project(), Map.of("PROXY_PORT", "0", "WEB_PORT", String.valueOf(port)));
            docker.host().runOneOff(stack.load(), "backend", List.of("alembic", "upgrade", "head"), OutputSink.NONE, Duration.ofSeconds(60));
            docker.host().up(stack.load(), stack.load().services().keySet(), true, OutputSink.NONE, Duration.ofMinutes(2));
            dockerCli("stop", demo.services().get("web").id());
            Map<String, String> before = containerIds(demo);

            try (ServerSocket squatter = new ServerSocket();
                 TestBot bot = new TestBot(dir.resolve("bot"), stack, docker.host(), chat)) {
                squatter.setReuseAddress(true);
                squatter.bind(new InetSocketAddress(port));
                bot.type("alice", "deploy " + DemoStack.NEWER, chat);
                Event ask = chat.awaitPostWithTitle(0, "Confirm: deploy " + DemoStack.NEWER, QUICK);
                Button confirm = ask.message().buttons().stream().filter(b -> b.label().equals("Confirm")).findFirst().orElseThrow();
                long pressed = System.nanoTime();
                bot.press("alice", confirm.token(), ask.ref(), chat);
                Event live = chat.awaitPostWithTitle(0, "Running: deploy " + DemoStack.NEWER, QUICK);

                Message failed = chat.awaitState(live.ref(), m -> m.tone() != Tone.PROGRESS, Duration.ofSeconds(60));
                long toldMillis = (System.nanoTime() - pressed) / 1_000_000;
                String text = failed.plainText();
                assertEquals(Tone.FAILURE, failed.tone(), text);
                assertTrue(text.contains("Failed at step 4/7 (up all services (remove orphans)): cannot bring web up: host port " + port
                        + " is taken by process " + ProcessHandle.current().pid() + " (java). Nothing was stopped or replaced: what ran before still runs."),
                        text);
                Map<String, ServiceContainer> after = demo.services();
                assertEquals(before, containerIds(demo), "no container was replaced");
                for (String service : List.of("backend", "worker", "proxy")) {
                    assertEquals("running", after.get(service).state(), service + " keeps running: " + after.get(service));
                }
                assertTrue(after.get("backend").image().endsWith(":" + DemoStack.GOOD), "backend still runs the old image");
                System.out.println("fault figure: published port taken, the deploy refused at up and the user told " + toldMillis
                        + " ms after Confirm (pull, pin and migrate included)");
                Event offer = chat.awaitPostWithTitle(0, "Run #1 failed: roll back?", QUICK);
                assertTrue(offer.message().buttons().stream().map(Button::label).anyMatch(l -> l.equals("Roll back to " + DemoStack.GOOD)),
                        "the file was pinned already: the way back is offered: " + offer.message().plainText());
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Map<String, String> containerIds(DemoStack stack) {
        return stack.services().values().stream().collect(Collectors.toMap(ServiceContainer::service, ServiceContainer::id));
    }

    private static void dockerCli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException(command + ": " + out);
    }
}
