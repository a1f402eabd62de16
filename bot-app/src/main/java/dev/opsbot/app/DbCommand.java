package dev.opsbot.app;

import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.store.AuditLog;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.store.DatabaseCopy;
import dev.opsbot.core.store.DatabaseServer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code opsbot db copy}: moves an installation from its H2 files to PostgreSQL, each environment's
 * file into its own schema (see {@link EnvironmentDatabase}), rows and ids as they were, so the audit
 * chain still verifies. The password comes from the settings or {@code OPSBOT_DATABASE_PASSWORD},
 * never from the command line, where other users of the host could read it.
 */
@Command(name = "db", description = "The bot's database.")
final class DbCommand {
    @ParentCommand
    private OpsbotCommand opsbot;

    @Spec
    private CommandSpec spec;

    /** One environment's H2 file and its schema in PostgreSQL, both open. */
    private record Move(EnvironmentDatabase place, Database from, Database to) { }

    @Command(name = "copy", description = {"Copy every environment's H2 file into PostgreSQL, each into its own schema, with every "
            + "row and id (the audit chain still verifies). Refuses schemas that already hold data, unless --replace. "
            + "The password is database.password or OPSBOT_DATABASE_PASSWORD; exit code 1 when nothing was copied."})
    int copy(@Option(names = "--to", paramLabel = "URL",
                    description = "jdbc:postgresql://host:port/database (default: database.url or OPSBOT_DATABASE_URL)") String url,
             @Option(names = "--user", paramLabel = "NAME", description = "the database user (default: database.user or OPSBOT_DATABASE_USER)")
             String user,
             @Option(names = "--replace", description = "empty schemas that already hold data, then copy into them") boolean replace) {
        AppConfig config = config(url, user);
        PrintStream out = opsbot.terminal().out();
        DatabaseServer target = config.databaseServer();
        if (target == null) {
            throw new ParameterException(spec.commandLine(), "where to: --to jdbc:postgresql://host:port/database, "
                    + "or database.url / OPSBOT_DATABASE_URL");
        }
        List<EnvironmentDatabase> present = EnvironmentDatabase.all(config).stream().filter(EnvironmentDatabase::h2FileExists).toList();
        if (present.isEmpty()) {
            out.println("no H2 database under " + config.dataDir() + ": nothing to copy");
            return CommandErrors.FAILED;
        }
        List<Move> moves = new ArrayList<>();
        try {
            for (EnvironmentDatabase place : present) {
                Database from = place.open(null);
                try {
                    moves.add(new Move(place, from, place.open(target)));
                } catch (RuntimeException e) {
                    from.close();
                    throw e;
                }
            }
            if (!replace && refused(moves, out)) return CommandErrors.FAILED;
            for (Move m : moves) copyOne(m, out);
        } finally {
            for (Move m : moves) {
                m.from().close();
                m.to().close();
            }
        }
        out.println("Done. The H2 files are as they were (brought up to this version's tables). Start the bot with database.url "
                + "(or OPSBOT_DATABASE_URL) set to " + target.url().replaceFirst("\\?.*", "") + " to use the copy.");
        return 0;
    }

    /** Says which schemas already hold data; true when any does (then nothing is copied). */
    private static boolean refused(List<Move> moves, PrintStream out) {
        boolean any = false;
        for (Move m : moves) {
            Map<String, Long> held = new DatabaseCopy(m.from(), m.to()).targetContents();
            if (held.isEmpty()) continue;
            any = true;
            out.println(m.place().prefix() + m.to() + " already holds data (" + rows(held) + ")");
        }
        if (any) out.println("Nothing was copied. --replace empties those schemas first and copies into them.");
        return any;
    }

    private static void copyOne(Move m, PrintStream out) {
        Map<String, Long> copied = new DatabaseCopy(m.from(), m.to()).copy();
        Optional<String> before = new AuditLog(m.from(), Redactor.shapesOnly()).verify();
        Optional<String> after = new AuditLog(m.to(), Redactor.shapesOnly()).verify();
        long total = copied.values().stream().mapToLong(Long::longValue).sum();
        out.println(m.place().prefix() + "copied " + m.from() + " into " + m.to() + ": " + total + " rows ("
                + rows(copied) + "); audit trail " + (after.isEmpty() ? "intact" : "broken: " + after.get()
                + (before.equals(after) ? " (as it was in the H2 file)" : "")));
    }

    private static String rows(Map<String, Long> byTable) {
        return byTable.entrySet().stream().filter(e -> e.getValue() > 0).map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** The settings with --to and --user standing for OPSBOT_DATABASE_URL and OPSBOT_DATABASE_USER. */
    private AppConfig config(String url, String user) {
        Map<String, String> env = new HashMap<>(opsbot.terminal().env());
        if (url != null) env.put("OPSBOT_DATABASE_URL", url);
        if (user != null) env.put("OPSBOT_DATABASE_USER", user);
        return opsbot.config(env);
    }
}
