package dev.opsbot.app;

import dev.opsbot.core.store.Database;
import dev.opsbot.core.store.DatabaseServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where one environment keeps its state: its H2 file under the data folder, or, with a
 * {@code database:} configured, a schema of its own in that PostgreSQL database: {@code opsbot} for
 * the top-level stack, {@code opsbot_<name>} for each entry of {@code environments:} (a dash
 * becomes an underscore). Both are laid out alike, so {@code opsbot db copy} moves each file into
 * its schema.
 *
 * @param name   the environment's name (the stack's name without an {@code environments:} section)
 * @param named  whether it is an entry of {@code environments:} (commands then prefix their lines with its name)
 */
record EnvironmentDatabase(String name, boolean named, Path h2File, String schema) {
    static final String SCHEMA = "opsbot";

    /** The top-level stack's, when there is no {@code environments:} section. */
    static EnvironmentDatabase topLevel(AppConfig config) {
        return new EnvironmentDatabase(config.stackName(), false, config.database(), SCHEMA);
    }

    static EnvironmentDatabase of(AppConfig config, EnvironmentConfig e) {
        return new EnvironmentDatabase(e.name(), true, e.dataDir(config.dataDir()).resolve("opsbot"), SCHEMA + "_" + e.name().replace('-', '_'));
    }

    /** Every environment's, in the order of the settings. */
    static List<EnvironmentDatabase> all(AppConfig config) {
        if (config.environments().isEmpty()) return List.of(topLevel(config));
        List<EnvironmentDatabase> all = new ArrayList<>();
        for (EnvironmentConfig e : config.environments()) all.add(of(config, e));
        return all;
    }

    /** Opens its schema in {@code server}, or its H2 file when there is no server. */
    Database open(DatabaseServer server) {
        return server == null ? Database.open(h2File) : Database.open(server, schema);
    }

    /** Whether its H2 file was ever written (opening makes one). */
    boolean h2FileExists() {
        return Files.exists(h2File.resolveSibling(h2File.getFileName() + ".mv.db"));
    }

    /** "staging: " before a line about this environment, nothing for the top-level stack. */
    String prefix() {
        return named ? name + ": " : "";
    }
}
