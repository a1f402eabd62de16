package dev.opsbot.app;

import dev.opsbot.app.management.Leading;
import dev.opsbot.app.management.ManagementServer;
import dev.opsbot.app.management.ManagementSettings;
import dev.opsbot.app.management.Readiness;
import dev.opsbot.app.telemetry.PrometheusTelemetry;
import dev.opsbot.core.chat.ChatAdapter;
import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.env.Environment;
import dev.opsbot.core.replica.Leadership;
import dev.opsbot.core.store.Database;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management listener of a running bot: readiness made of each environment's database and
 * engine and each chat adapter, with the environments this replica leads; metrics from the bot's
 * telemetry. A port already taken (a second
 * bot on the host) is logged and the bot runs without it.
 */
final class ManagementListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementListener.class);

    private final Readiness readiness;
    private final ManagementServer server;

    private ManagementListener(Readiness readiness, ManagementServer server) {
        this.readiness = readiness;
        this.server = server;
    }

    static ManagementListener start(ManagementSettings settings, BotRuntime rt, List<ChatAdapter> adapters, PrometheusTelemetry telemetry) {
        Readiness readiness = readiness(rt, adapters, new Readiness());
        telemetry.readiness(() -> readiness.report().readiness());
        if (!settings.enabled()) return new ManagementListener(readiness, null);
        try {
            ManagementServer server = ManagementServer.start(new InetSocketAddress(settings.address(), settings.port()), readiness, telemetry);
            LOG.info("Management listener on http://{}:{}: /healthz, /readyz, /metrics", settings.address(), server.address().getPort());
            return new ManagementListener(readiness, server);
        } catch (IOException e) {
            LOG.warn("The management listener cannot listen on {}:{} ({}): running without /healthz, /readyz and /metrics",
                    settings.address(), settings.port(), e.getMessage());
            return new ManagementListener(readiness, null);
        }
    }

    /** Each environment's database and engine, then each adapter, as parts of readiness. */
    static Readiness readiness(BotRuntime rt, List<ChatAdapter> adapters, Readiness readiness) {
        for (Map.Entry<String, Database> db : rt.databases.entrySet()) {
            readiness.check("database:" + db.getKey(), () -> db.getValue().withConnection(c -> c.isValid(2))
                    ? Optional.empty() : Optional.of("the database does not answer"));
        }
        for (Map.Entry<String, DockerHost> engine : rt.engines.entrySet()) {
            readiness.check("docker:" + engine.getKey(), () -> {
                engine.getValue().ping();
                return Optional.empty();
            });
        }
        for (ChatAdapter adapter : adapters) readiness.check("chat:" + adapter.platform(), adapter::notReady);
        readiness.leadership(rt.config.replica().id(), () -> {
            Map<String, Leading> byEnvironment = new LinkedHashMap<>();
            for (Environment e : rt.environments.all()) {
                Leadership.State state = e.bot().leadership();
                byEnvironment.put(e.name(), new Leading(state.leading(), state.since(), state.leader()));
            }
            return byEnvironment;
        });
        return readiness;
    }

    @Override
    public void close() {
        if (server != null) server.close();
        readiness.close();
    }
}
