package dev.opsbot.core.dockerjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.health.ContainerWatch;
import dev.opsbot.core.health.DockerEvent;
import dev.opsbot.core.stream.OutputSink;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The health monitor's port on a real engine: a project's container events as core records, its containers' state and health. */
@Timeout(120)
class ContainerWatchTest {
    private static final Duration T = Duration.ofMinutes(1);

    @Test
    void theDeathOfAServiceContainerIsDeliveredAndOneOffsAreLeftOut(@TempDir Path dir) throws Exception {
        try (DockerEngine engine = DockerSupport.connect(); DemoStack stack = new DemoStack(engine.host(), dir)) {
            DockerHost docker = engine.host();
            ContainerWatch watch = engine.watch();
            docker.up(stack.project(), List.of("backend"), false, OutputSink.NONE, T);
            String backend = stack.services().get("backend").id();
            BlockingQueue<DockerEvent> events = new LinkedBlockingQueue<>();

            try (ContainerWatch.EventStream stream = watch.events(stack.project().name(), 0, events::add)) {
                assertEquals(0, docker.runOneOff(stack.project(), "backend", List.of("true"), OutputSink.NONE, T));
                docker.restart(stack.project(), List.of("backend"), OutputSink.NONE, T);

                DockerEvent died = next(events, "die");
                assertEquals("backend", died.service());
                assertEquals(backend, died.containerId(), "the service's container, not the one-off that died before it");
                assertEquals(stack.project().name(), died.attributes().get("com.docker.compose.project"));
                assertTrue(Math.abs(died.timeNanos() / 1_000_000L - System.currentTimeMillis()) < 60_000, "the engine's time: " + died);
                assertEquals(backend, next(events, "start").containerId(), "and its start again");
            }
        }
    }

    @Test
    void aStreamOpenedAgainSinceAnEventReplaysWhatCameAfterIt(@TempDir Path dir) throws Exception {
        try (DockerEngine engine = DockerSupport.connect(); DemoStack stack = new DemoStack(engine.host(), dir)) {
            DockerHost docker = engine.host();
            docker.up(stack.project(), List.of("backend"), false, OutputSink.NONE, T);
            BlockingQueue<DockerEvent> first = new LinkedBlockingQueue<>();
            DockerEvent died;
            try (ContainerWatch.EventStream stream = engine.watch().events(stack.project().name(), 0, first::add)) {
                docker.restart(stack.project(), List.of("backend"), OutputSink.NONE, T);
                died = next(first, "die");
            }
            // While nobody listens, it restarts again.
            docker.restart(stack.project(), List.of("backend"), OutputSink.NONE, T);

            BlockingQueue<DockerEvent> again = new LinkedBlockingQueue<>();
            try (ContainerWatch.EventStream stream = engine.watch().events(stack.project().name(), died.timeNanos(), again::add)) {
                DockerEvent missed = next(again, e -> e.action().equals("die") && e.timeNanos() > died.timeNanos());
                assertEquals("backend", missed.service());
            }
        }
    }

    @Test
    void theContainersStateAndTheirLastHealthcheckAreRead(@TempDir Path dir) throws Exception {
        try (DockerEngine engine = DockerSupport.connect(); DemoStack stack = new DemoStack(engine.host(), dir)) {
            engine.host().up(stack.project(), List.of("backend"), false, OutputSink.NONE, T);
            ServiceContainer backend = awaitHealthy(engine.watch(), stack.project().name());
            assertTrue(backend.running());
            String last = engine.watch().lastHealthcheck(backend.id());
            assertTrue(last.startsWith("exit 0"), "the last healthcheck passed: " + last);
        }
    }

    private static ServiceContainer awaitHealthy(ContainerWatch watch, String project) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            List<ServiceContainer> containers = watch.containers(project);
            if (containers.size() == 1 && containers.get(0).health().equals("healthy")) return containers.get(0);
            if (System.nanoTime() - deadline > 0) throw new AssertionError("backend did not become healthy: " + containers);
            Thread.sleep(250);
        }
    }

    private static DockerEvent next(BlockingQueue<DockerEvent> events, String action) throws InterruptedException {
        return next(events, e -> e.action().equals(action));
    }

    private static DockerEvent next(BlockingQueue<DockerEvent> events, Predicate<DockerEvent> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() - deadline < 0) {
            DockerEvent e = events.poll(250, TimeUnit.MILLISECONDS);
            if (e != null && wanted.test(e)) return e;
        }
        throw new AssertionError("not the event wanted within 30 s");
    }
}
