package dev.opsbot.core.testing;

import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.docker.ServiceContainer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bot's own stop as a fault: a console bot runs a deploy or a rollback of a fresh demo stack
 * and gets SIGTERM or SIGKILL as a given step starts; the next bot on the same data folder is
 * watched: what it reports, how soon, and whether pressing Resume leaves the stack running the
 * release the run was for. The test suite runs a few cases, the bench all of them.
 */
public final class StopAtStep {
    public enum Signal { SIGTERM, SIGKILL }

    /** The step numbers are the runbooks' own: deploy has 7, rollback 6 (its step 2 waits for a person's answer). */
    public record Case(String runbook, int step, Signal signal) {
        static final Map<String, Integer> STEPS = Map.of("deploy", 7, "rollback", 6);

        public static List<Case> all() {
            List<Case> all = new ArrayList<>();
            for (String runbook : List.of("deploy", "rollback")) {
                for (int step = 1; step <= STEPS.get(runbook); step++) {
                    for (Signal signal : Signal.values()) all.add(new Case(runbook, step, signal));
                }
            }
            return all;
        }

        String target() {
            return runbook.equals("deploy") ? DemoStack.NEWER : DemoStack.VERSION;
        }
    }

    /**
     * @param stepAtSignal the step the first bot had started when the signal went ("4/7 up all services …")
     * @param secondsToReady from the next bot's start until it takes commands
     * @param reported     the step the next bot reported the run interrupted in, or what it said instead
     * @param stackCorrect whether, after Resume, backend and worker run the target tag and every service runs
     */
    public record Outcome(Case of, String stepAtSignal, int exitCode, double secondsToReady, String reported, double secondsToReport,
                          String resumed, boolean stackCorrect, String stack) { }

    /** How a console bot is started here: the process's command for the given environment. */
    @FunctionalInterface
    public interface Launcher {
        ProcessBuilder console(Map<String, String> env);
    }

    private static final Pattern STEP_STARTED = Pattern.compile("step (\\d+)/(\\d+): (.*)$", Pattern.MULTILINE);
    private static final Pattern RESUME_AT = Pattern.compile("\\[1] Resume at step (\\d+)");
    /** The rollback's question, as the console shows its second button. */
    private static final String SKIP = "[2] Skip";
    private static final Pattern REPORTED = Pattern.compile("interrupted by a restart during step (\\d+/\\d+ \\(.*?\\))\\. Nothing ran");

    private final DockerHost docker;
    private final Launcher launcher;

    public StopAtStep(DockerHost docker, Launcher launcher) {
        this.docker = docker;
        this.launcher = launcher;
    }

    public Outcome run(Case c, Path dir) throws Exception {
        try (DemoStack stack = new DemoStack(docker, dir)) {
            stack.upAndMigrate();
            Map<String, String> env = new HashMap<>(stack.stack().environment());
            env.put("OPSBOT_COMPOSE_FILE", stack.composeFile().toString());
            env.put("OPSBOT_PROJECT", stack.project().name());
            env.put("OPSBOT_DATA", dir.resolve("data").toString());
            env.put("OPSBOT_RUNBOOKS", RepoRoot.get().resolve("runbooks").toString());
            env.put("OPSBOT_STACK", "demo");

            String stepAtSignal;
            int exitCode;
            try (Console first = new Console(launcher.console(env), dir.resolve("first-bot.log"))) {
                first.await("End with Ctrl-D", 0, 60);
                first.type("/ops " + c.runbook() + " " + c.target());
                first.await("[1] Confirm", 0, 30);
                first.type("1");
                if (c.runbook().equals("rollback") && c.step() > 2) {
                    first.await(SKIP, 0, 60);
                    first.type("2");
                }
                stepAtSignal = first.awaitStep(c.step(), 120);
                // A question waits from when it is shown, not from when its step is logged.
                if (c.runbook().equals("rollback") && c.step() == 2) first.await(SKIP, 0, 30);
                // Through the process handle: Process.destroy() also closes the pipes, and a console bot that
                // sees its input end cancels the run waiting for an answer, racing the stop the signal asked for.
                if (c.signal() == Signal.SIGKILL) first.process.toHandle().destroyForcibly(); else first.process.toHandle().destroy();
                if (!first.process.waitFor(60, TimeUnit.SECONDS)) throw new AssertionError("the bot did not stop:\n" + first.text());
                exitCode = first.process.exitValue();
            }

            long restarted = System.nanoTime();
            try (Console second = new Console(launcher.console(env), dir.resolve("second-bot.log"))) {
                String reported;
                double seconds;
                second.await("End with Ctrl-D", 0, 60);
                double ready = (System.nanoTime() - restarted) / 1e9;
                boolean interrupted = second.awaitOrNot("Run #1 was interrupted", 0, 60);
                seconds = (System.nanoTime() - restarted) / 1e9;
                String resumed;
                if (interrupted) {
                    Matcher m = REPORTED.matcher(second.text());
                    reported = m.find() ? "during step " + m.group(1) : "interrupted (step not named)";
                    second.await("[1] Resume at step", 0, 10);
                    Matcher at = RESUME_AT.matcher(second.text());
                    int resumeAt = at.find() ? Integer.parseInt(at.group(1)) : 1;
                    int from = second.text().length();
                    second.type("1");
                    if (c.runbook().equals("rollback") && resumeAt <= 2) {
                        second.await(SKIP, from, 120);
                        second.type("2");
                    }
                    resumed = second.awaitEither("Succeeded: " + c.runbook(), "Failed: " + c.runbook(), from, 180)
                            .startsWith("Succeeded") ? "succeeded" : "failed";
                } else {
                    reported = lastRunState(stack);
                    seconds = Double.NaN;
                    resumed = "-";
                }
                second.stdin.close();
                second.process.waitFor(60, TimeUnit.SECONDS);
                Map<String, ServiceContainer> services = stack.services();
                boolean correct = services.size() == 4 && services.values().stream().allMatch(ServiceContainer::running)
                        && List.of("backend", "worker").stream().allMatch(s -> services.get(s).image().endsWith(":" + c.target()));
                return new Outcome(c, stepAtSignal, exitCode, ready, reported, seconds, resumed, correct, describe(services));
            }
        }
    }

    private static String lastRunState(DemoStack stack) {
        ServiceContainer backend = stack.services().get("backend");
        String image = backend == null ? "no backend" : backend.image().substring(backend.image().lastIndexOf(':') + 1);
        return "no report (backend runs " + image + ")";
    }

    private static String describe(Map<String, ServiceContainer> services) {
        StringBuilder out = new StringBuilder();
        services.values().stream().sorted((a, b) -> a.service().compareTo(b.service())).forEach(s -> out.append(out.isEmpty() ? "" : ", ")
                .append(s.service()).append(' ').append(s.image().substring(s.image().lastIndexOf(':') + 1))
                .append(s.running() ? "" : " (" + s.state() + ")"));
        return out.toString();
    }

    /** A console bot: its standard input, and what it printed on both streams. */
    static final class Console implements AutoCloseable {
        final Process process;
        final OutputStream stdin;
        private final StringBuilder output = new StringBuilder();
        private final Path log;
        private final Thread reader;

        /** @param log where what it printed is kept when it is closed */
        Console(ProcessBuilder command, Path log) throws IOException {
            this.log = log;
            process = command.redirectErrorStream(true).start();
            stdin = process.getOutputStream();
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (output) {
                            output.append(line).append('\n');
                            output.notifyAll();
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "console-reader");
            reader.setDaemon(true);
            reader.start();
        }

        void type(String line) throws IOException {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }

        /** Waits for {@code text} printed after position {@code from}; returns the position after it. */
        int await(String text, int from, long seconds) throws InterruptedException {
            String found = awaitEither(text, null, from, seconds);
            return text().indexOf(found, from) + found.length();
        }

        boolean awaitOrNot(String text, int from, long seconds) throws InterruptedException {
            try {
                awaitEither(text, null, from, seconds);
                return true;
            } catch (AssertionError e) {
                return false;
            }
        }

        /** Waits for whichever of two texts is printed first after {@code from}; returns it. */
        String awaitEither(String one, String other, int from, long seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            synchronized (output) {
                while (true) {
                    int a = output.indexOf(one, from);
                    int b = other == null ? -1 : output.indexOf(other, from);
                    if (a >= 0 && (b < 0 || a <= b)) return one;
                    if (b >= 0) return other;
                    long left = deadline - System.nanoTime();
                    if (left <= 0) throw new AssertionError("the bot never printed '" + one + "'" + (other == null ? "" : " or '" + other + "'")
                            + "; it printed:\n" + output);
                    output.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            }
        }

        /** Waits for the run's log line that step {@code step} started; returns "k/n title". */
        String awaitStep(int step, long seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            synchronized (output) {
                while (true) {
                    Matcher m = STEP_STARTED.matcher(output.toString());
                    while (m.find()) if (Integer.parseInt(m.group(1)) == step) return m.group(1) + "/" + m.group(2) + " " + m.group(3);
                    long left = deadline - System.nanoTime();
                    if (left <= 0) throw new AssertionError("step " + step + " never started; the bot printed:\n" + output);
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
        public void close() throws IOException {
            process.destroyForcibly();
            try {
                // what it printed while stopping is still on its way through the pipe
                reader.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Files.writeString(log, text());
        }
    }
}
