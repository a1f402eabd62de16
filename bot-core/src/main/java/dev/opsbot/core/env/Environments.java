package dev.opsbot.core.env;

import dev.opsbot.core.Bot;
import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.chat.ChatInbox;
import dev.opsbot.core.chat.ChatPort;
import dev.opsbot.core.chat.ChatPorts;
import dev.opsbot.core.chat.Durations;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.command.CommandSpec;
import dev.opsbot.core.command.UsageException;
import dev.opsbot.core.secrets.RedactingChatPort;
import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.telemetry.LogContext;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several environments behind one {@code /ops}: each command goes to the bot of the environment
 * it names ({@code --env prod}), else of the environment its channel is bound to, else of the
 * default one. Each environment's bot keeps its own engine, database, locks, history and
 * alerts, so an engine that stops answering affects only its own environment. Nothing here
 * waits on a platform's thread: answers and lookups run on the router's own threads.
 */
public final class Environments implements ChatInbox, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Environments.class);
    private final Map<String, Environment> byName = new LinkedHashMap<>();
    private final EnvironmentSelector selector;
    private final ChatPorts ports = new ChatPorts();
    /** Commands, presses and forms received but not yet handed to their bot. */
    private final AtomicInteger routing = new AtomicInteger();
    private final Redactor redactor = new Redactor(List::of);
    private final ExecutorService work = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "opsbot-envs");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param defaultName the environment of commands that name none in an unbound channel; null
     *                    to ask (except with a single environment, which is always the default)
     */
    public Environments(List<Environment> environments, String defaultName, AccessPolicy access, Clock clock) {
        if (environments.isEmpty()) throw new IllegalArgumentException("no environment");
        for (Environment e : environments) {
            if (byName.putIfAbsent(e.name(), e) != null) throw new IllegalArgumentException("environment " + e.name() + " twice");
        }
        if (defaultName != null && !byName.containsKey(defaultName)) {
            throw new IllegalArgumentException("default environment " + defaultName + " is not one of " + byName.keySet());
        }
        String effectiveDefault = defaultName != null ? defaultName : environments.size() == 1 ? environments.get(0).name() : null;
        this.selector = new EnvironmentSelector(byName, effectiveDefault);
        EnvironmentGlance glance = new EnvironmentGlance(List.copyOf(byName.values()), effectiveDefault, clock, work);
        byName.values().forEach(e -> e.bot().environments(glance));
    }

    public List<Environment> all() {
        return List.copyOf(byName.values());
    }

    /** Connects an adapter's port to every environment; call before {@link #start()}. */
    public void register(ChatPort port) {
        ports.add(RedactingChatPort.wrap(port, redactor));
        byName.values().forEach(e -> e.bot().register(port));
    }

    /** Starts every environment's bot (crash reports, button expiry, health monitors). */
    public void start() {
        byName.values().forEach(e -> e.bot().start());
    }

    /** Every environment's commands as one menu, with an {@code env} choice where there are several. */
    public List<CommandSpec> commands() {
        Map<String, List<CommandSpec>> byEnvironment = new LinkedHashMap<>();
        byName.forEach((name, e) -> byEnvironment.put(name, e.bot().commands()));
        return CommandMenu.of(byEnvironment);
    }

    @Override
    public void onCommand(Origin origin, String text) {
        EnvironmentSelector.Selection s;
        try {
            s = selector.select(origin, text);
        } catch (UsageException e) {
            // Answered on the router's thread: a whisper may wait on the platform.
            route(() -> ports.whisper(origin, Message.builder(Tone.WARNING, "Which environment?").line(e.getMessage())
                    .context(e.usage().isEmpty() ? "" : "Usage: " + e.usage()).build()));
            return;
        }
        try (LogContext context = LogContext.put(LogContext.ENVIRONMENT, s.environment().name())) {
            s.environment().bot().onCommand(origin, s.rest());
        }
    }

    /** Whether the environment the command is for has more waiting than it will get to soon. */
    public boolean overloaded(Origin origin, String text) {
        try {
            return selector.select(origin, text).environment().bot().overloaded();
        } catch (UsageException e) {
            return false;
        }
    }

    @Override
    public Optional<String> turnedAway(Origin origin, String text) {
        EnvironmentSelector.Selection s;
        try {
            s = selector.select(origin, text);
        } catch (UsageException e) {
            return Optional.empty();
        }
        try (LogContext context = LogContext.put(LogContext.ENVIRONMENT, s.environment().name())) {
            return s.environment().bot().turnedAway(origin, s.rest());
        }
    }

    @Override
    public void onPress(Origin origin, String token, MessageRef message) {
        deliver(token, bot -> bot.onPress(origin, token, message));
    }

    @Override
    public void onModalSubmit(Origin origin, String token, Map<String, String> values) {
        deliver(token, bot -> bot.onModalSubmit(origin, token, values));
    }

    /**
     * Hands a press or form to the bot that issued its token. With one environment there is
     * nothing to find; with several, finding it reads each environment's database, which is
     * not done on the adapter's thread.
     */
    private void deliver(String token, Consumer<Bot> deliver) {
        if (byName.size() == 1) {
            deliver.accept(byName.values().iterator().next().bot());
            return;
        }
        route(() -> {
            Environment owner = owner(token);
            try (LogContext context = LogContext.put(LogContext.ENVIRONMENT, owner.name())) {
                deliver.accept(owner.bot());
            }
        });
    }

    private void route(Runnable action) {
        routing.incrementAndGet();
        try {
            work.execute(() -> {
                try {
                    action.run();
                } finally {
                    routing.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            routing.decrementAndGet();
        }
    }

    /** Waits until every command, press and form received has reached its bot (a scripted console reads its next line after). */
    public boolean awaitRouted(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (routing.get() > 0) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(5);
        }
        return true;
    }

    /** The environment whose bot handed out the token; an unknown one goes to the first, which says it is not valid. */
    private Environment owner(String token) {
        for (Environment e : byName.values()) {
            if (e.bot().owns(token)) return e;
        }
        return byName.values().iterator().next();
    }

    /**
     * The process is stopping: every environment answers new commands, presses and forms with
     * "restarting", and its runs stop before their next step. Waits up to {@code grace} for steps
     * that are running to end; true when all did. Closing the bots then leaves the rest as a crash
     * would, reported at the next start.
     */
    public boolean stop(Duration grace) throws InterruptedException {
        LOG.info("stopping: waiting up to {} for running steps to end", Durations.human(grace));
        byName.forEach((name, e) -> {
            try (LogContext context = LogContext.put(LogContext.ENVIRONMENT, name)) {
                e.bot().stopTaking();
            }
        });
        long deadline = System.nanoTime() + grace.toNanos();
        boolean all = true;
        for (Environment e : byName.values()) {
            try (LogContext context = LogContext.put(LogContext.ENVIRONMENT, e.name())) {
                if (!e.bot().awaitStopped(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                    LOG.warn("a step still runs after {}: its run is left as a crash leaves it and reported at the next start",
                            Durations.human(grace));
                    all = false;
                }
            }
        }
        return all;
    }

    /** Stops the router's threads; the bots belong to whoever made them. */
    @Override
    public void close() {
        work.shutdownNow();
    }
}
