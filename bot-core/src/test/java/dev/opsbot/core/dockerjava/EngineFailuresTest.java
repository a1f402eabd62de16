package dev.opsbot.core.dockerjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import dev.opsbot.core.docker.DockerException;
import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.docker.DockerUnavailableException;
import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.stream.OutputSink;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the channel is told when the engine fails the bot, against a real engine: a container that
 * goes away while the bot is at it, a service without one, a one-off that runs over, an engine that
 * is not there. Always our own exception, naming the service and container, never docker-java's.
 */
@Timeout(120)
class EngineFailuresTest {
    private static final Duration T = Duration.ofMinutes(1);

    @TempDir
    Path dir;
    DockerEngine engine;
    DockerHost docker;
    DockerClient behindItsBack;
    DemoStack stack;

    @BeforeEach
    void backendUp() throws Exception {
        engine = DockerSupport.connect();
        docker = engine.host();
        behindItsBack = DockerSupport.client();
        stack = new DemoStack(docker, dir);
    }

    @AfterEach
    void down() throws Exception {
        if (stack != null) stack.close();
        if (behindItsBack != null) behindItsBack.close();
        if (engine != null) engine.close();
    }

    @Test
    void restartingAServiceWhoseContainerWentAwayNamesServiceAndContainer() {
        docker.up(stack.project(), List.of("backend"), false, OutputSink.NONE, T);
        ServiceContainer backend = stack.services().get("backend");

        DockerException e = assertDockerException(() -> docker.restart(stack.project(), List.of("backend"),
                removing(backend, line -> line.contains("restarting")), T));

        assertTrue(e.getMessage().startsWith("cannot restart backend (container " + backend.name() + "): "), e.getMessage());
        assertTrue(e.getMessage().contains("No such container"), "the engine's words: " + e.getMessage());
        assertFalse(e.nextStep().isEmpty(), "says what to do next");
    }

    @Test
    void upOfAServiceWhoseStoppedContainerWentAwayNamesServiceAndContainer() {
        docker.up(stack.project(), List.of("backend"), false, OutputSink.NONE, T);
        ServiceContainer backend = stack.services().get("backend");
        behindItsBack.stopContainerCmd(backend.id()).withTimeout(2).exec();

        DockerException e = assertDockerException(() -> docker.up(stack.project(), List.of("backend"), false,
                removing(backend, line -> line.equals("backend: starting\n")), T));

        assertTrue(e.getMessage().startsWith("cannot start backend (container " + backend.name() + "): "), e.getMessage());
        assertTrue(e.getMessage().contains("No such container"), "the engine's words: " + e.getMessage());
    }

    @Test
    void thePublishedPortOfAServiceWithoutAContainerNamesTheService() {
        DockerException e = assertDockerException(() -> docker.publishedPort(stack.project(), "proxy", 80));
        assertEquals("service proxy has no running container", e.getMessage());

        docker.up(stack.project(), List.of("proxy"), false, OutputSink.NONE, T);
        assertTrue(docker.publishedPort(stack.project(), "proxy", 80).orElseThrow() > 0, "Docker picked a host port");
        assertTrue(docker.publishedPort(stack.project(), "proxy", 81).isEmpty(), "nothing published there");
    }

    @Test
    void aOneOffThatRunsOverItsTimeIsStoppedRemovedAndSaysHowLongItHad() {
        DockerException e = assertDockerException(() -> docker.runOneOff(stack.project(), "backend", List.of("sleep", "30"),
                OutputSink.NONE, Duration.ofSeconds(2)));

        assertEquals("cannot run sleep 30 in a one-off backend container: it took longer than 2 s", e.getMessage());
        assertTrue(stack.all().isEmpty(), "the one-off container is gone: " + stack.all());
    }

    @Test
    void anEngineThatIsNotThereIsUnavailableToEveryPortAndNamesItsEndpoint() {
        for (String endpoint : List.of("unix://" + dir.resolve("no-docker.sock"), "tcp://127.0.0.1:1")) {
            try (DockerEngine nowhere = DockerEngine.connect(endpoint, false, null)) {
                List<Executable> calls = List.of(
                        () -> nowhere.host().ping(),
                        () -> nowhere.host().ps(stack.project()),
                        () -> nowhere.host().up(stack.project(), List.of("backend"), false, OutputSink.NONE, T),
                        () -> nowhere.swarm().services("shop"),
                        () -> nowhere.watch().containers(stack.project().name()),
                        () -> nowhere.watch().events(stack.project().name(), 0, event -> { }).close());
                for (Executable call : calls) {
                    DockerUnavailableException e = assertThrows(DockerUnavailableException.class, call);
                    assertTrue(e.getMessage().startsWith("Docker is not reachable at " + endpoint + " ("), e.getMessage());
                    assertFalse(e.nextStep().isEmpty(), "says what to check");
                }
            }
        }
    }

    private static DockerException assertDockerException(Executable call) {
        Throwable thrown = assertThrows(Throwable.class, call);
        assertTrue(thrown instanceof DockerException, "our own exception, not " + thrown);
        return (DockerException) thrown;
    }

    /** Output that removes the container behind the bot's back once a line it writes matches. */
    private OutputSink removing(ServiceContainer container, Predicate<String> when) {
        return text -> {
            if (when.test(text)) behindItsBack.removeContainerCmd(container.id()).withForce(true).exec();
        };
    }
}
