package dev.opsbot.core.store;

import java.util.Objects;

/**
 * A PostgreSQL database the bot shares with its other replicas: where it is and how to log in.
 * Each environment keeps its tables in a schema of its own there ({@link Database#open(DatabaseServer, String)}).
 * The password is never shown: {@link #toString()} leaves it out.
 *
 * @param url      {@code jdbc:postgresql://host:port/database}, with any of the driver's parameters
 * @param user     null when the URL carries it
 * @param password null when the URL carries it or the server asks for none
 */
public record DatabaseServer(String url, String user, String password) {
    private static final String SCHEME = "jdbc:postgresql:";

    public DatabaseServer {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith(SCHEME)) {
            throw new IllegalArgumentException("a database URL is jdbc:postgresql://host:port/database (PostgreSQL), not "
                    + url.replaceFirst("[?;].*", "…"));
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL " + url.replaceFirst("\\?.*", "") + (user == null ? "" : " as " + user);
    }
}
