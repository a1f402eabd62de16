package dev.opsbot.core.dockerjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.opsbot.core.docker.DockerException;
import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.docker.UpResult;
import dev.opsbot.core.stream.OutputSink;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker host against a real engine: idempotent up, orphans, one-offs, a missing image, listings
 * shared by questions, anonymous volumes kept through a recreate.
 */
@Timeout(180)
class DockerJavaHostTest {
    private static final Duration T = Duration.ofMinutes(1);

    @Test
    void upIsIdempotentAndRemovesOrphansOnlyOfItsProject(@TempDir Path dir) throws Exception {
        try (DockerEngine engine = DockerSupport.connect(); DemoStack stack = new DemoStack(engine.host(), dir)) {
            DockerHost docker = engine.host();
            var all = stack.project().services().keySet();
            UpResult first = docker.up(stack.project(), all, true, OutputSink.NONE, T);
            assertEquals(List.of("backend", "proxy", "worker", "web"), first.created());
            UpResult second = docker.up(stack.project(), all, true, OutputSink.NONE, T);
            assertEquals(List.of(), second.recreated(), "nothing changed, nothing recreated");
            assertEquals(4, second.unchanged().size());

            String text = stack.composeText();
            int web = text.indexOf("  # Static frontend.");
            int volumes = text.indexOf("volumes:\n  dbdata:");
            Files.writeString(stack.composeFile(), text.substring(0, web) + text.substring(volumes));
            UpResult third = docker.up(stack.project(), stack.project().services().keySet(), true, OutputSink.NONE, T);
            assertEquals(List.of("web"), third.removedOrphans());
            assertTrue(stack.services().keySet().stream().noneMatch("web"::equals));
        }
    }

    @Test
    void aOneOffReportsItsExitCodeAndIsRemoved(@TempDir Path dir) throws Exception {
        try (DockerEngine engine = DockerSupport.connect(); DemoStack stack = new DemoStack(engine.host(), dir)) {
            DockerHost docker = engine.host();
            StringBuilder out = new StringBuilder();
            int code = docker.runOneOff(stack.project(), "backend", List.of("alembic", "downgrade", "nonsense"), out::append, T);
            assertTrue(code != 0, "a failing command is reported as such");
            assertTrue(out.toString().contains("Can't locate revision") || out.toString().contains("usage"), out.toString());
            assertTrue(stack.all().isEmpty(), "the one-off container is gone: " + stack.all());
        }
    }

    @Test
    void aTagThatTheRegistryDoesNotHaveIsAClearFailure(@TempDir Path dir) throws Exception {
        try (DockerEngine engine = DockerSupport.connect()) {
            DockerHost docker = engine.host();
            DemoStack.ensureImages(docker);
            DockerException e = assertThrows(DockerException.class, () ->
                    docker.pull("127.0.0.1:5000/opsbot-demo/backend:sha-0000000", OutputSink.NONE, T));
            assertTrue(e.getMessage().startsWith("cannot pull 127.0.0.1:5000/opsbot-demo/backend:sha-0000000"), e.getMessage());
        }
    }

    @Test
    void aRecentListingShowsTheBotsOwnChangesAtOnceAndOthersOnlyOnceASecondPassed(@TempDir Path dir) throws Exception {
        AtomicLong now = new AtomicLong();
        try (DockerEngine someoneElse = DockerSupport.connect(); DockerEngine engine = DockerEngine.connect(someoneElse.endpoint(), now::get);
             DemoStack stack = new DemoStack(engine.host(), dir)) {
            DockerHost bot = engine.host();
            bot.up(stack.project(), stack.project().services().keySet(), true, OutputSink.NONE, T);
            assertEquals(Set.of("backend", "proxy", "worker", "web"), services(bot.recentPs(stack.project())));

            String text = stack.composeText();
            int web = text.indexOf("  # Static frontend.");
            int volumes = text.indexOf("volumes:\n  dbdata:");
            Files.writeString(stack.composeFile(), text.substring(0, web) + text.substring(volumes));
            someoneElse.host().up(stack.project(), stack.project().services().keySet(), true, OutputSink.NONE, T);
            assertTrue(services(bot.recentPs(stack.project())).contains("web"), "within the second, questions share the listing");
            now.addAndGet(RecentListings.FRESH_FOR.toNanos());
            assertFalse(services(bot.recentPs(stack.project())).contains("web"), "a second later, listed again");

            Files.writeString(stack.composeFile(), text);
            bot.up(stack.project(), List.of("web"), false, OutputSink.NONE, T);
            assertTrue(services(bot.recentPs(stack.project())).contains("web"), "the bot's own change shows at once");
        }
    }

    @Test
    void anAnonymousVolumeKeepsItsDataThroughARecreateAndGoesWithDownVolumes(@TempDir Path dir) throws Exception {
        try (DockerEngine engine = DockerSupport.connect(); DemoStack stack = new DemoStack(engine.host(), dir)) {
            DockerHost docker = engine.host();
            DockerClient raw = DockerSupport.client();
            String text = stack.composeText();
            // The backend image declares VOLUME /data; this service does not mount anything there.
            String scratch = "  scratch:\n    image: 127.0.0.1:5000/opsbot-demo/backend:" + DemoStack.GOOD + "\n    init: true\n"
                    + "    environment:\n      GENERATION: \"%s\"\n    command: [\"sh\", \"-c\", \"while true; do sleep 1; done\"]\n";
            Files.writeString(stack.composeFile(), text.replace("\nvolumes:", "\n" + scratch.formatted("1") + "\nvolumes:"));
            docker.up(stack.project(), List.of("scratch"), false, OutputSink.NONE, T);
            assertEquals(0, docker.exec(stack.project(), "scratch", List.of("sh", "-c", "echo kept > /data/note"), OutputSink.NONE, T));

            Files.writeString(stack.composeFile(), text.replace("\nvolumes:", "\n" + scratch.formatted("2") + "\nvolumes:"));
            assertEquals(List.of("scratch"), docker.up(stack.project(), List.of("scratch"), false, OutputSink.NONE, T).recreated());
            StringBuilder out = new StringBuilder();
            assertEquals(0, docker.exec(stack.project(), "scratch", List.of("cat", "/data/note"), out::append, T));
            assertTrue(out.toString().contains("kept"), "the new container has the old one's data: " + out);

            InspectContainerResponse now = raw.inspectContainerCmd(stack.services().get("scratch").id()).exec();
            String volume = now.getMounts().stream().filter(m -> "/data".equals(m.getDestination().getPath()))
                    .map(InspectContainerResponse.Mount::getName).findFirst().orElse(null);
            assertNotNull(volume, "mounted at /data: " + now.getMounts());
            docker.down(stack.project(), true, T);
            assertThrows(NotFoundException.class, () -> raw.inspectVolumeCmd(volume).exec(), "down with volumes removes it");
        }
    }

    private static Set<String> services(List<ServiceContainer> containers) {
        return containers.stream().filter(c -> !c.oneOff()).map(ServiceContainer::service).collect(Collectors.toSet());
    }
}
