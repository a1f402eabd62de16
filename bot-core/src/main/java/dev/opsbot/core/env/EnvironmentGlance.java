package dev.opsbot.core.env;

import dev.opsbot.core.builtin.EnvironmentDirectory;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.docker.DockerException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code /ops envs}: every environment with its endpoint, target, health at a glance, lock and channels. */
final class EnvironmentGlance implements EnvironmentDirectory {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final long GLANCE_SECONDS = 8;

    private final List<Environment> environments;
    private final String defaultName;
    private final Clock clock;
    private final ExecutorService work;

    EnvironmentGlance(List<Environment> environments, String defaultName, Clock clock, ExecutorService work) {
        this.environments = environments;
        this.defaultName = defaultName;
        this.clock = clock;
        this.work = work;
    }

    @Override
    public Message glance() {
        // Every engine is asked at once; one that does not answer delays the list by at most GLANCE_SECONDS.
        Map<Environment, CompletableFuture<String>> asked = new LinkedHashMap<>();
        for (Environment e : environments) asked.put(e, CompletableFuture.supplyAsync(() -> health(e), work));
        List<String> lines = new ArrayList<>();
        asked.forEach((e, f) -> lines.add(line(e, answer(f))));
        Message.Builder b = Message.builder(Tone.INFO, "Environments");
        lines.forEach(b::line);
        return b.context("Add --env NAME to a command to choose one · " + CLOCK.format(clock.instant())).build();
    }

    private String line(Environment e, String health) {
        String lock = e.bot().lock().map(l -> " · locked by " + l.holder() + " (" + l.what() + ") since " + CLOCK.format(l.since()))
                .orElse("");
        return (e.name().equals(defaultName) ? "*" + e.name() + "* (default)" : "*" + e.name() + "*") + " — " + e.target()
                + " at " + e.endpoint() + "\n    " + health + lock
                + (e.channels().isEmpty() ? "" : "\n    channels: " + String.join(", ", e.channels()));
    }

    private static String answer(CompletableFuture<String> f) {
        try {
            return f.get(GLANCE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException ex) {
            return "no answer from Docker within " + GLANCE_SECONDS + " s";
        } catch (ExecutionException ex) {
            return "could not be read: " + ex.getCause().getMessage();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return "not read: the bot is stopping";
        }
    }

    private static String health(Environment e) {
        try {
            return e.glance().get();
        } catch (DockerException ex) {
            return "unreachable: " + ex.getMessage();
        }
    }
}
