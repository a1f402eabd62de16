package dev.opsbot.core.testing;

import dev.opsbot.core.store.Database;
import java.nio.file.Path;

/**
 * The databases the bot keeps its state in, for tests that run on each:
 * {@code @ParameterizedTest @EnumSource(StoreVendor.class)}. The PostgreSQL case needs the
 * class's {@link Postgres} extension, and is skipped where PostgreSQL is not installed.
 */
public enum StoreVendor {
    H2 {
        @Override
        public Database open(String name, Path dir, Postgres postgres) {
            return Database.open(dir.resolve(name));
        }
    },
    POSTGRESQL {
        @Override
        public Database open(String name, Path dir, Postgres postgres) {
            return Database.open(postgres.server(), name);
        }
    };

    /**
     * Opens the database called {@code name} (lower-case letters, digits, underscores): an H2 file in
     * {@code dir}, or a schema of the class's PostgreSQL database. The same name opens the same data again.
     */
    public abstract Database open(String name, Path dir, Postgres postgres);
}
