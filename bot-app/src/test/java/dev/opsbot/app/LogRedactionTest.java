package dev.opsbot.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsbot.core.telemetry.LogContext;
import dev.opsbot.core.testing.RepoRoot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * A secret of a stack's .env, logged in a message and in an exception's message at every level,
 * appears in no line the bot writes, plain or JSON: the runtime hands its redactors to the
 * logging it is configured with (logback.xml, as shipped).
 */
class LogRedactionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintStream originalErr = System.err;

    @AfterEach
    void restore() throws Exception {
        System.setErr(originalErr);
        configure(null);
    }

    /** The shipped logback.xml, as the bot starts with it, with OPSBOT_LOG_FORMAT set to {@code format}. */
    static void configure(String format) throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        if (format != null) {
            context.putProperty("OPSBOT_LOG_FORMAT", format);
            // Every level of every logger: whatever the libraries say passes the redactor too.
            context.putProperty("OPSBOT_LOG_LEVEL", "TRACE");
        }
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LogRedactionTest.class.getResource("/logback.xml"));
    }

    /** Everything logged at each level, through a runtime whose stack's .env holds {@code secret}. */
    private String logEverything(Path dir, String format, String secret) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        configure(format);
        Path stack = Files.createDirectories(dir.resolve(format).resolve("stack"));
        Files.copy(RepoRoot.get().resolve("examples/demo/docker-compose.yml"), stack.resolve("docker-compose.yml"));
        Files.writeString(stack.resolve(".env"), "SECRET_KEY=" + secret + "\n");
        Map<String, String> env = Map.of(
                "DOCKER_HOST", "unix:///var/run/docker.sock",
                "OPSBOT_COMPOSE_FILE", stack.resolve("docker-compose.yml").toString(),
                "OPSBOT_PROJECT", "opsbot-log-test",
                "OPSBOT_DATA", dir.resolve(format).resolve("data").toString(),
                "OPSBOT_RUNBOOKS", RepoRoot.get().resolve("runbooks").toString());
        Logger log = LoggerFactory.getLogger("dev.opsbot.test");
        try (BotRuntime rt = new BotRuntime(AppConfig.load(dir, dir.resolve("none.yml"), env), env, dir);
             LogContext run = LogContext.put(LogContext.RUN, "42")) {
            for (Level level : Level.values()) {
                log.atLevel(level).log("the value is {} at {}", secret, level);
                log.atLevel(level).setCause(new IllegalStateException("could not use " + secret,
                        new IllegalArgumentException("because " + secret + " was refused"))).log("a step failed at {}", level);
            }
        }
        System.err.flush();
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aSecretOfTheStackIsInNoPlainLine(@TempDir Path dir) throws Exception {
        String secret = "s3cret-" + UUID.randomUUID();
        String out = logEverything(dir, "plain", secret);

        assertFalse(out.contains(secret), out);
        for (String level : List.of("TRACE", "DEBUG", "INFO ", "WARN ", "ERROR")) {
            assertTrue(out.contains(" " + level + " dev.opsbot.test [main] run=42 the value is [redacted] at " + level.strip()), out);
        }
        assertTrue(out.contains("java.lang.IllegalStateException: could not use [redacted]"), out);
        assertTrue(out.contains("Caused by: java.lang.IllegalArgumentException: because [redacted] was refused"), out);
    }

    @Test
    void aSecretOfTheStackIsInNoJsonLine(@TempDir Path dir) throws Exception {
        String secret = "s3cret-" + UUID.randomUUID();
        String out = logEverything(dir, "json", secret);

        assertFalse(out.contains(secret), out);
        List<JsonNode> lines = out.lines().filter(l -> l.contains("dev.opsbot.test")).map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new AssertionError("not one JSON object per line: " + l, e);
            }
        }).toList();
        assertEquals(10, lines.size(), out);
        JsonNode first = lines.get(0);
        assertEquals("ERROR", first.path("level").asText(), first.toString());
        assertEquals("the value is [redacted] at ERROR", first.path("formattedMessage").asText(), first.toString());
        assertEquals("42", first.path("mdc").path("run").asText(), first.toString());
        JsonNode failure = lines.get(9).path("throwable");
        assertEquals("TRACE", lines.get(9).path("level").asText(), lines.get(9).toString());
        assertEquals("could not use [redacted]", failure.path("message").asText(), lines.get(9).toString());
        assertEquals("because [redacted] was refused", failure.path("cause").path("message").asText(), lines.get(9).toString());
    }
}
