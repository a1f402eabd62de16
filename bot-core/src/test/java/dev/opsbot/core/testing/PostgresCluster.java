package dev.opsbot.core.testing;

import dev.opsbot.core.store.DatabaseServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, from Debian's {@code postgresql} package: a cluster made
 * with initdb in a temporary folder, listening on a free loopback port with a password, stopped
 * and removed by {@link #close()}. PostgreSQL refuses to run as root, so under root (CI) the
 * server runs as the package's {@code postgres} user, which then owns the folder.
 *
 * <p>Where PostgreSQL is not installed, {@link #start()} skips the test with a message saying so,
 * unless {@code OPSBOT_REQUIRE_DOCKER=1} (CI: everything must run), where it fails instead.
 * Tests get one through {@link Postgres}, which shares one cluster among the test classes of a run.
 */
public final class PostgresCluster implements AutoCloseable {
    private static final String SUPERUSER = "opsbot";
    private static final Duration START = Duration.ofSeconds(60);

    private final Path dir;
    private final Path bin;
    private final boolean asPostgresUser;
    private final int port;
    private final String password;
    private boolean stopped;

    private PostgresCluster(Path dir, Path bin, boolean asPostgresUser, int port, String password) {
        this.dir = dir;
        this.bin = bin;
        this.asPostgresUser = asPostgresUser;
        this.port = port;
        this.password = password;
    }

    /** Makes and starts a cluster; skips (or fails under OPSBOT_REQUIRE_DOCKER=1) where PostgreSQL is not installed. */
    public static PostgresCluster start() {
        Path bin = installedBin().orElse(null);
        if (bin == null) unavailable("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)");
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path dir = Files.createTempDirectory("opsbot-postgres-");
            if (root) ownedByPostgres(dir);
            String password = UUID.randomUUID().toString();
            Files.writeString(dir.resolve("password"), password);
            if (root) ownedByPostgres(dir.resolve("password"));
            PostgresCluster cluster = new PostgresCluster(dir, bin, root, freePort(), password);
            cluster.initAndStart();
            return cluster;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** The server as the bot is given one: {@code jdbc:postgresql://127.0.0.1:port/name}, with the superuser's password. */
    public DatabaseServer server(String database) {
        return new DatabaseServer("jdbc:postgresql://127.0.0.1:" + port + "/" + database, SUPERUSER, password);
    }

    /** Creates an empty database; its name is lower-case letters, digits and underscores. */
    public DatabaseServer createDatabase(String name) {
        admin("CREATE DATABASE " + name);
        return server(name);
    }

    /** Drops a database, ending whatever connections still use it. */
    public void dropDatabase(String name) {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    public int port() {
        return port;
    }

    private void admin(String sql) {
        DatabaseServer postgres = server("postgres");
        try (Connection c = DriverManager.getConnection(postgres.url(), postgres.user(), postgres.password());
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private void initAndStart() throws IOException {
        Path data = dir.resolve("data");
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", SUPERUSER, "--pwfile=" + dir.resolve("password"),
                "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"));
        // Durability settings off: a test's data need not survive a power cut, and the tests run faster.
        String options = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
                + " -c full_page_writes=off -c max_connections=200";
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                "-o", options, "-w", "-t", Long.toString(START.toSeconds()), "start"));
    }

    /** Stops the server and removes its folder; safe to call twice. */
    @Override
    public synchronized void close() {
        if (stopped) return;
        stopped = true;
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
        } catch (RuntimeException | IOException e) {
            // the folder goes regardless
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind
        }
    }

    private void run(List<String> command) throws IOException {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) full.addAll(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(command);
        Path output = Files.createTempFile("opsbot-postgres-", ".out");
        try {
            Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!p.waitFor(START.toSeconds() + 30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish");
            }
            if (p.exitValue() != 0) {
                String log = Files.exists(dir.resolve("server.log")) ? Files.readString(dir.resolve("server.log")) : "";
                throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): "
                        + Files.readString(output) + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** The newest installed server's programs. */
    private static Optional<Path> installedBin() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) return Optional.empty();
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void ownedByPostgres(Path path) throws IOException {
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        try {
            Files.setOwner(path, users.lookupPrincipalByName("postgres"));
        } catch (IOException e) {
            unavailable("PostgreSQL refuses to run as root and there is no postgres user to run it as (" + e.getMessage() + ")");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void unavailable(String why) {
        String message = "this test needs PostgreSQL: " + why + "; apt-get install postgresql, or run .ci/run";
        MissingRequirement.skipOrFail(message);
    }
}
