package dev.opsbot.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.opsbot.core.runbook.Runbook;
import dev.opsbot.core.runbook.RunbookCatalog;
import dev.opsbot.core.runbook.Template;
import dev.opsbot.core.testing.RepoRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which services a run of each of the repository's runbooks owns on the demo stack: while it runs,
 * what the health monitor sees of them goes into the run's message. One row a runbook.
 */
class RunScopeTest {
    private static final Set<String> ALL = Set.of("proxy", "backend", "worker", "web");

    static Stream<Arguments> runbooks() {
        return Stream.of(
                // pins backend and worker, then brings every service up and checks the proxy
                Arguments.of("deploy", Map.of("tag", "sha-5d6e7f8"), ALL),
                Arguments.of("rollback", Map.of("tag", "sha-1a2b3c4"), ALL),
                // the proxy and the worker depend on the backend: they fail while it restarts
                Arguments.of("restart", Map.of("service", "backend"), Set.of("backend", "proxy", "worker")),
                Arguments.of("restart", Map.of("service", "web"), Set.of("web")),
                // a new value in .env recreates whichever services read it
                Arguments.of("rotate-secret", Map.of("name", "SECRET_KEY"), ALL),
                // a release tag touches no container
                Arguments.of("release", Map.of("tag", "v0.1.0"), Set.of()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("runbooks")
    void aRunOwnsTheServicesItsStepsChangeOrCheckAndThoseDependingOnThem(String name, Map<String, String> params, Set<String> expected,
                                                                           @TempDir Path dir) throws IOException {
        Files.copy(RepoRoot.get().resolve("examples/demo/docker-compose.yml"), dir.resolve("docker-compose.yml"));
        Files.copy(RepoRoot.get().resolve("examples/demo/.env.example"), dir.resolve(".env"));
        Stack stack = new Stack("demo", dir.resolve("docker-compose.yml"), "demo", Map.of());
        RunbookCatalog catalog = new RunbookCatalog(RepoRoot.get().resolve("runbooks"));
        catalog.refresh();
        Runbook runbook = catalog.find(name).orElseThrow();
        assertEquals(expected, RunScope.of(runbook, new Template(params), stack));
    }
}
