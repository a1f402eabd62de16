package dev.opsbot.core.replica;

import dev.opsbot.core.Bot;
import dev.opsbot.core.BotSettings;
import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.ChatLimits;
import dev.opsbot.core.chat.ChatPort;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.ModalPort;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.health.HealthMonitor;
import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.store.AuditLog;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.store.DatabaseServer;
import dev.opsbot.core.testing.ModalChatPort;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import dev.opsbot.core.testing.TestBot;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Bots of one environment on one PostgreSQL schema, each with its own connection pool and replica
 * id, as bot processes on several hosts would be, with a 3 s lease. They talk to one chat platform
 * (a message one posts, the other can update; a button one offers, the other's user can press),
 * each through its own connection, which {@link #kill} cuts: a killed replica says nothing more
 * and writes nothing more, as after {@code kill -9}.
 */
final class Replicas implements AutoCloseable {
    static final Duration TTL = Duration.ofSeconds(3);

    final ModalChatPort platform = new ModalChatPort();
    final RecordingChatPort chat = platform.chat;
    private final DatabaseServer server;
    private final String schema;
    private final Path dir;
    private final Stack stack;
    private final DockerHost docker;
    private final Path runbooks;
    private final Map<String, Replica> replicas = new LinkedHashMap<>();

    /** One bot process: its bot, its database pool, its connection to the platform. */
    record Replica(String name, Bot bot, Database db, Connection connection) {
        void type(String user, String text) {
            bot.onCommand(TestBot.as(user, connection), text);
        }

        /** Presses the button whose label starts with {@code label} on the message of {@code on}, as {@code user}, here. */
        void press(String user, Event on, String label, RecordingChatPort chat) {
            Message shown = chat.message(on.ref());
            Button button = shown.buttons().stream().filter(b -> b.label().startsWith(label)).findFirst()
                    .orElseThrow(() -> new AssertionError("no button " + label + " on " + shown.plainText()));
            bot.onPress(TestBot.as(user, connection), button.token(), on.ref());
        }

        void submit(String user, String token, Map<String, String> values) {
            bot.onModalSubmit(TestBot.as(user, connection), token, values);
        }
    }

    Replicas(DatabaseServer server, String schema, Path dir, Stack stack, DockerHost docker, Path runbooks) {
        this.server = server;
        this.schema = schema;
        this.dir = dir;
        this.stack = stack;
        this.docker = docker;
        this.runbooks = runbooks;
    }

    /** Starts the replica called {@code name}; the first to start leads. */
    Replica start(String name) {
        return start(name, db -> null);
    }

    /** Starts a replica whose bot watches health with the monitor {@code monitor} makes on its database. */
    Replica start(String name, Function<Database, HealthMonitor> monitor) {
        Database db = Database.open(server, schema);
        Connection connection = new Connection(platform);
        Bot bot = new Bot(new BotSettings(stack, runbooks, dir.resolve(name).resolve("logs"), Duration.ofMinutes(10), null,
                AccessPolicy.openToAll(), null, null, null, "demo", null, new ReplicaSettings(name, TTL)), docker, db,
                new Redactor(List::of), Clock.systemUTC());
        bot.register(connection);
        HealthMonitor health = monitor.apply(db);
        if (health != null) bot.monitorHealth(health);
        bot.start();
        Replica replica = new Replica(name, bot, db, connection);
        replicas.put(name, replica);
        return replica;
    }

    /** As {@code kill -9}: its connection to the platform is cut and its database pool closed before anything else. */
    void kill(String name) {
        Replica r = replicas.remove(name);
        r.connection().cut();
        r.db().close();
        r.bot().close();
    }

    /** A fresh pool on the schema, as an operator's {@code opsbot audit verify} would open. */
    Optional<String> verifyAudit() {
        try (Database db = Database.open(server, schema)) {
            return new AuditLog(db, Redactor.shapesOnly()).verify();
        }
    }

    @Override
    public void close() {
        List<Replica> all = new ArrayList<>(replicas.values());
        replicas.clear();
        for (Replica r : all) {
            r.bot().close();
            r.db().close();
        }
    }

    /** A replica's connection to the shared platform; once cut, nothing it sends arrives. */
    static final class Connection implements ChatPort, ModalPort {
        private final ModalChatPort platform;
        private final AtomicInteger lost = new AtomicInteger();
        private volatile boolean cut;

        Connection(ModalChatPort platform) {
            this.platform = platform;
        }

        void cut() {
            cut = true;
        }

        @Override
        public String platform() {
            return platform.platform();
        }

        @Override
        public ChatLimits limits() {
            return platform.limits();
        }

        @Override
        public MessageRef post(ChannelRef channel, Message message) {
            return cut ? new MessageRef(channel, "lost-" + lost.incrementAndGet()) : platform.post(channel, message);
        }

        @Override
        public void update(MessageRef message, Message replacement) {
            if (!cut) platform.update(message, replacement);
        }

        @Override
        public MessageRef reply(MessageRef parent, Message message) {
            return cut ? new MessageRef(parent.channel(), "lost-" + lost.incrementAndGet()) : platform.reply(parent, message);
        }

        @Override
        public void whisper(Origin origin, Message message) {
            if (!cut) platform.whisper(origin, message);
        }

        @Override
        public void attach(MessageRef parent, String fileName, Path file) {
            if (!cut) platform.attach(parent, fileName, file);
        }

        @Override
        public void openModal(Origin origin, Modal modal) {
            if (!cut) platform.openModal(origin, modal);
        }
    }
}
