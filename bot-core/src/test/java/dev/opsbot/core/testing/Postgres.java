package dev.opsbot.core.testing;

import dev.opsbot.core.store.DatabaseServer;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A PostgreSQL database of its own for each test class:
 * {@code @RegisterExtension static final Postgres POSTGRES = new Postgres();}, then
 * {@link #server()} where a test needs it. The cluster behind it ({@link PostgresCluster}) starts
 * when a test first asks, once for the whole run, and is stopped and removed when the run ends;
 * the class's database is dropped after its last test. A class whose tests never ask starts nothing,
 * so an H2-only run of a parameterised test needs no PostgreSQL.
 */
public final class Postgres implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Postgres.class);
    private final AtomicInteger schemas = new AtomicInteger();
    private ExtensionContext classContext;
    private String database;

    @Override
    public void beforeAll(ExtensionContext context) {
        classContext = context;
    }

    /** This class's database (created at the first call), on the run's cluster (started at the first call of the run). */
    public synchronized DatabaseServer server() {
        PostgresCluster cluster = cluster();
        if (database == null) {
            database = classContext.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT);
            cluster.dropDatabase(database);
            cluster.createDatabase(database);
        }
        return cluster.server(database);
    }

    /** The run's cluster, for what a test does beside the bot's database (another database, the port). */
    public PostgresCluster cluster() {
        return classContext.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(PostgresCluster.class, k -> new Shared(PostgresCluster.start()), Shared.class).cluster();
    }

    /** A schema name not used before in this class: each test's database starts empty. */
    public String freshSchema() {
        return "t" + schemas.incrementAndGet();
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (database != null) cluster().dropDatabase(database);
        database = null;
    }

    /** Stops the cluster when the run's root context closes (after the last test class). */
    private record Shared(PostgresCluster cluster) implements ExtensionContext.Store.CloseableResource {
        Shared {
            // Also when the test JVM is ended early: no server outlives the run.
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "postgres-cluster-stop"));
        }

        @Override
        public void close() {
            cluster.close();
        }
    }
}
