package dev.opsbot.core.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.testing.RepoRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ComposeLoaderTest {

    @Test
    void readsTheDemoStack(@TempDir Path dir) throws Exception {
        Files.copy(RepoRoot.get().resolve("examples/demo/docker-compose.yml"), dir.resolve("docker-compose.yml"));
        Files.writeString(dir.resolve(".env"), "SECRET_KEY=abc123456\nPROXY_PORT=9090\n");
        ComposeProject p = new ComposeLoader(Map.of()).load(dir.resolve("docker-compose.yml"), "Demo_Test");
        assertEquals("demo_test", p.name());
        assertEquals(List.of("proxy", "backend", "worker", "web"), List.copyOf(p.services().keySet()));
        ServiceSpec backend = p.require("backend");
        assertEquals("abc123456", backend.environment().get("SECRET_KEY"), "env_file is merged");
        assertEquals("demo", backend.environment().get("APP_ENV"));
        assertEquals(new ServiceSpec.Mount("demo_test_dbdata", "/data", false, true), backend.mounts().get(0));
        assertEquals(Duration.ofSeconds(2), backend.healthcheck().interval());
        assertTrue(backend.init());
        assertEquals("9090", p.require("proxy").ports().get(0).hostPort(), ".env interpolates ${PROXY_PORT:-8080}");
        assertEquals(List.of("backend", "proxy", "worker", "web"), p.startOrder(List.of("proxy", "worker", "web")),
                "dependencies start first");
    }

    @Test
    void processEnvironmentOverridesDotEnvAndDefaultsApply(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("docker-compose.yml"), """
                services:
                  a:
                    image: "img:${TAG:-latest}"
                    command: sh -c 'echo "$$HOME"'
                    ports: ["${PORT}:80", "127.0.0.1::81/udp"]
                """);
        Files.writeString(dir.resolve(".env"), "PORT=1000\nTAG=fromfile\n");
        ComposeProject p = new ComposeLoader(Map.of("PORT", "2000")).load(dir.resolve("docker-compose.yml"), "x");
        ServiceSpec a = p.require("a");
        assertEquals("img:fromfile", a.image());
        assertEquals(List.of("sh", "-c", "echo \"$HOME\""), a.command());
        assertEquals("2000", a.ports().get(0).hostPort());
        assertEquals(new ServiceSpec.Port("127.0.0.1", "", 81, "udp"), a.ports().get(1));
        assertNull(a.healthcheck());
    }

    @Test
    void refusesWhatItWouldOtherwiseIgnore(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("c.yml");
        Files.writeString(f, "services:\n  a:\n    image: x\n    privileged: true\n");
        assertTrue(assertThrows(ComposeException.class, () -> new ComposeLoader(Map.of()).load(f, "p"))
                .getMessage().contains("privileged"));
        Files.writeString(f, "services:\n  a:\n    build: .\n");
        assertTrue(assertThrows(ComposeException.class, () -> new ComposeLoader(Map.of()).load(f, "p"))
                .getMessage().contains("build: is not supported"));
        Files.writeString(f, "services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: y\n    depends_on: [a]\n");
        ComposeProject cyclic = new ComposeLoader(Map.of()).load(f, "p");
        assertTrue(assertThrows(ComposeException.class, () -> cyclic.startOrder(List.of("a"))).getMessage().contains("cycle"));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // a NUL in a path: no file system has one (it was an InvalidPathException, answered "Something went wrong")
            "'volumes: [\"./a\\0b:/x\"]' | volume './a?b:/x' is not a path (Nul character not allowed)",
            "'env_file: \"a\\0b.env\"'    | env_file 'a?b.env' is not a path (Nul character not allowed)",
            // container ports are 1-65535 in digits 0-9
            "'ports: [\"80:99999\"]'       | port '80:99999'",
            "'ports: [\"8080:0\"]'         | port '8080:0'",
            "'ports: [\"8080:\u0668\u0660\"]' | is not HOST:CONTAINER",
    })
    void refusesPathsAndPortsNoEngineTakes(String line, String expected, @TempDir Path dir) throws Exception {
        Path f = dir.resolve("c.yml");
        Files.writeString(f, "services:\n  a:\n    image: x\n    " + line + "\n");
        ComposeException e = assertThrows(ComposeException.class, () -> new ComposeLoader(Map.of()).load(f, "p"));
        assertTrue(e.getMessage().startsWith("service a: ") && e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void durationsReadLikeCompose() {
        assertEquals(Duration.ofSeconds(90), ComposeLoader.duration("1m30s"));
        assertEquals(Duration.ofMillis(500), ComposeLoader.duration("500ms"));
        assertThrows(ComposeException.class, () -> ComposeLoader.duration("soon"));
        // A long of nanoseconds holds about 292 years; beyond that the sum wrapped round to a negative duration.
        assertEquals(Duration.ofHours(2_562_047), ComposeLoader.duration("2562047h"));
        assertTrue(assertThrows(ComposeException.class, () -> ComposeLoader.duration("99999999999999999999h")).getMessage()
                .contains("too long a duration"));
        assertThrows(ComposeException.class, () -> ComposeLoader.duration("2562047h2562047h"));
    }
}
