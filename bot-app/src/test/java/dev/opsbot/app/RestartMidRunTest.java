package dev.opsbot.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bot process is killed (SIGKILL) in the middle of a run; the next process reports the
 * run as interrupted in its channel, with the step it was in, and resumes it from that step.
 */
class RestartMidRunTest {
    private static final String RUNBOOK = """
            name: slowdeploy
            summary: a deploy with a slow migration
            mutates: true
            params:
              - {name: tag, kind: tag}
            steps:
              - pin: {services: [backend, worker], tag: "${tag}"}
              - run: {service: backend, command: [sleep, "15"]}
                title: slow migration
              - up: {}
              - wait-healthy: {services: [backend]}
                timeout: 60s
            """;

    /** A bot in its own JVM, reading a console script we write as we go. */
    static final class BotProcess implements AutoCloseable {
        final Process process;
        final OutputStream stdin;
        final StringBuilder output = new StringBuilder();

        BotProcess(Map<String, String> env) throws IOException {
            this(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                    "dev.opsbot.app.Main", "console", "--as", "alice", "--config", "none.yml"), env);
        }

        /** Any command that runs the console (a released launcher, {@code docker run -i}). */
        BotProcess(List<String> command, Map<String, String> env) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().putAll(env);
            pb.redirectErrorStream(true);
            process = pb.start();
            stdin = process.getOutputStream();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (output) {
                            output.append(line).append('\n');
                            output.notifyAll();
                        }
                    }
                } catch (IOException ignored) {
                    // the process died
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        void type(String line) throws IOException {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }

        void await(String text, long seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            synchronized (output) {
                while (!output.toString().contains(text)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) throw new AssertionError("the bot never printed '" + text + "'; it printed:\n" + output);
                    output.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            }
        }

        String text() {
            synchronized (output) {
                return output.toString();
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    @Test
    @Timeout(240)
    void aKilledRunIsReportedAfterRestartAndResumesFromItsStep(@TempDir Path dir) throws Exception {
        DockerEngine docker = DockerSupport.connect();
        try (DemoStack stack = new DemoStack(docker.host(), dir)) {
            stack.upAndMigrate();
            Path runbooks = Files.createDirectories(dir.resolve("runbooks"));
            Files.writeString(runbooks.resolve("slowdeploy.yml"), RUNBOOK);
            Map<String, String> env = new java.util.HashMap<>(stack.stack().environment());
            env.put("OPSBOT_COMPOSE_FILE", stack.composeFile().toString());
            env.put("OPSBOT_PROJECT", stack.project().name());
            env.put("OPSBOT_DATA", dir.resolve("data").toString());
            env.put("OPSBOT_RUNBOOKS", runbooks.toString());
            env.put("OPSBOT_STACK", "demo");

            try (BotProcess first = new BotProcess(env)) {
                first.await("End with Ctrl-D", 60);
                first.type("/ops slowdeploy " + DemoStack.NEWER);
                first.await("[1] Confirm", 30);
                first.type("1");
                first.await("Step: 2/4 slow migration", 60);
                first.process.destroyForcibly();
                assertTrue(first.process.waitFor(30, TimeUnit.SECONDS));
                assertEquals(137, first.process.exitValue(), "killed, not stopped cleanly");
            }

            try (BotProcess second = new BotProcess(env)) {
                second.await("Run #1 was interrupted", 60);
                second.await("[1] Resume at step 2", 10);
                String report = second.text();
                assertTrue(report.contains("during step 2/4 (slow migration)"), report);
                assertTrue(report.contains("[1] Resume at step 2"), report);

                second.type("1");
                second.await("Succeeded: slowdeploy " + DemoStack.NEWER + " (run #2)", 120);
                second.stdin.close();
                assertTrue(second.process.waitFor(60, TimeUnit.SECONDS), second.text());
                String resumed = second.text();
                assertTrue(resumed.contains("resuming at step 2/4 of interrupted run #1"), resumed);
            }
            var running = stack.services();
            for (String service : List.of("backend", "worker")) {
                assertTrue(running.get(service).image().endsWith(":" + DemoStack.NEWER), running.toString());
            }
        } finally {
            docker.close();
        }
    }
}
