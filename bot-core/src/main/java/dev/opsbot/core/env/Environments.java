package dev.opsbot.core.env;

import dev.opsbot.core.Bot;
import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.chat.ChatInbox;
import dev.opsbot.core.chat.ChatPort;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.docker.DockerException;
import dev.opsbot.core.engine.ChatPorts;
import dev.opsbot.core.secrets.RedactingChatPort;
import dev.opsbot.core.secrets.Redactor;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Several environments behind one {@code /ops}: each command goes to the bot of the environment
 * it names ({@code --env prod}), else of the environment its channel is bound to, else of the
 * default one. Each environment's bot keeps its own engine, database, locks, history and
 * alerts, so an engine that stops answering affects only its own environment.
 * {@code /ops envs} lists them with their health at a glance.
 */
public final class Environments implements ChatInbox, AutoCloseable {
    private static final Pattern ENV_FLAG = Pattern.compile("(?:^|\\s)--env(?:=|\\s+)(\\S*)");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final long GLANCE_SECONDS = 8;

    private final Map<String, Environment> byName = new LinkedHashMap<>();
    private final String defaultName;
    private final AccessPolicy access;
    private final Clock clock;
    private final ChatPorts ports = new ChatPorts();
    /** Presses and forms received but not yet handed to their bot. */
    private final java.util.concurrent.atomic.AtomicInteger routing = new java.util.concurrent.atomic.AtomicInteger();
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
        this.defaultName = defaultName != null ? defaultName : environments.size() == 1 ? environments.get(0).name() : null;
        this.access = access;
        this.clock = clock;
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

    @Override
    public void onCommand(Origin origin, String text) {
        Selection s;
        try {
            s = select(origin, text);
        } catch (IllegalArgumentException e) {
            ports.whisper(origin, Message.of(Tone.WARNING, "Which environment?", e.getMessage()));
            return;
        }
        if (s.rest().strip().equals("envs")) {
            work.execute(() -> listEnvironments(origin));
            return;
        }
        s.environment().bot().onCommand(origin, s.rest());
    }

    @Override
    public boolean overloaded() {
        return byName.values().stream().anyMatch(e -> e.bot().overloaded());
    }

    @Override
    public void onPress(Origin origin, String token, MessageRef message) {
        route(token, bot -> bot.onPress(origin, token, message));
    }

    @Override
    public void onModalSubmit(Origin origin, String token, Map<String, String> values) {
        route(token, bot -> bot.onModalSubmit(origin, token, values));
    }

    /**
     * Hands a press or form to the bot that issued its token. With one environment there is
     * nothing to find; with several, finding it reads each environment's database, which is
     * not done on the adapter's thread.
     */
    private void route(String token, Consumer<Bot> deliver) {
        if (byName.size() == 1) {
            deliver.accept(byName.values().iterator().next().bot());
            return;
        }
        routing.incrementAndGet();
        try {
            work.execute(() -> {
                try {
                    deliver.accept(owner(token).bot());
                } finally {
                    routing.decrementAndGet();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            routing.decrementAndGet();
        }
    }

    /** Waits until every press and form received has reached its bot (a scripted console reads its next line after). */
    public boolean awaitRouted(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (routing.get() > 0) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(5);
        }
        return true;
    }

    /** The environment whose bot handed out the token; an unknown one goes to the first, which says it expired. */
    private Environment owner(String token) {
        for (Environment e : byName.values()) {
            if (e.bot().owns(token)) return e;
        }
        return byName.values().iterator().next();
    }

    /** Which environment a command is for, and the command without {@code --env}. */
    record Selection(Environment environment, String rest) { }

    Selection select(Origin origin, String text) {
        Matcher m = ENV_FLAG.matcher(text);
        String named = null;
        StringBuilder rest = new StringBuilder();
        int last = 0;
        while (m.find()) {
            if (named != null) throw new IllegalArgumentException("Give --env once. Known environments: " + known() + ".");
            named = m.group(1);
            rest.append(text, last, m.start());
            last = m.end();
        }
        rest.append(text.substring(last));
        String command = rest.toString().strip();
        if (named != null) {
            Environment e = byName.get(named);
            if (e == null) {
                throw new IllegalArgumentException((named.isEmpty() ? "--env needs a name" : "There is no environment '" + named + "'")
                        + ". Known environments: " + known() + ".");
            }
            return new Selection(e, command);
        }
        Optional<Environment> bound = byName.values().stream().filter(e -> e.boundTo(origin.channel())).findFirst();
        if (bound.isPresent()) return new Selection(bound.get(), command);
        if (defaultName != null) return new Selection(byName.get(defaultName), command);
        String verb = command.isEmpty() ? "help" : command.split("\\s+", 2)[0];
        if (verb.equals("help") || verb.equals("envs")) return new Selection(byName.values().iterator().next(), command);
        throw new IllegalArgumentException("This channel is not bound to an environment: add --env " + String.join(" or --env ", byName.keySet())
                + " (for example /ops " + command + " --env " + byName.keySet().iterator().next() + ").");
    }

    private String known() {
        return String.join(", ", byName.keySet());
    }

    private void listEnvironments(Origin origin) {
        if (!access.has(origin.user(), AccessPolicy.VIEWER)) {
            ports.whisper(origin, Message.of(Tone.WARNING, "Not allowed", "/ops envs needs the viewer role. Ask an admin."));
            return;
        }
        // Every engine is asked at once; one that does not answer delays the list by at most GLANCE_SECONDS.
        Map<Environment, CompletableFuture<String>> asked = new LinkedHashMap<>();
        for (Environment e : byName.values()) asked.put(e, CompletableFuture.supplyAsync(() -> glance(e), work));
        Message.Builder b = Message.builder(Tone.INFO, "Environments");
        List<String> lines = new ArrayList<>();
        asked.forEach((e, f) -> {
            String health;
            try {
                health = f.get(GLANCE_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException ex) {
                health = "no answer from Docker within " + GLANCE_SECONDS + " s";
            } catch (Exception ex) {
                health = "could not be read: " + ex.getMessage();
            }
            String lock = e.bot().lock().map(l -> " · locked by " + l.holder() + " (" + l.what() + ") since " + CLOCK.format(l.since()))
                    .orElse("");
            lines.add((e.name().equals(defaultName) ? "*" + e.name() + "* (default)" : "*" + e.name() + "*") + " — " + e.target()
                    + " at " + e.endpoint() + "\n    " + health + lock
                    + (e.channels().isEmpty() ? "" : "\n    channels: " + String.join(", ", e.channels())));
        });
        lines.forEach(b::line);
        b.context("Add --env NAME to a command to choose one · " + CLOCK.format(clock.instant()));
        try {
            ports.of(origin.channel()).post(origin.channel(), b.build());
        } catch (RuntimeException e) {
            ports.whisper(origin, b.build());
        }
    }

    private static String glance(Environment e) {
        try {
            return e.glance().get();
        } catch (DockerException ex) {
            return "unreachable: " + ex.getMessage();
        }
    }

    /** Stops the listing's threads; the bots belong to whoever made them. */
    @Override
    public void close() {
        work.shutdownNow();
    }
}
