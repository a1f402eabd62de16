package dev.opsbot.app;

import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.store.AuditLog;
import dev.opsbot.core.store.Database;
import java.io.PrintStream;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code opsbot audit verify}: the hash chain of every environment's audit trail checked from its
 * first row, in its H2 file or its schema of the configured PostgreSQL database.
 */
@Command(name = "audit", description = "The audit trail.")
final class AuditCommand {
    @ParentCommand
    private OpsbotCommand opsbot;

    @Command(name = "verify", description = {"Check that no audit row was altered or removed, in every environment's database; "
            + "exit code 1 when a trail is broken."})
    int verify() {
        AppConfig config = opsbot.config();
        PrintStream out = opsbot.terminal().out();
        int broken = 0;
        for (EnvironmentDatabase place : EnvironmentDatabase.all(config)) {
            try (Database db = place.open(config.databaseServer())) {
                AuditLog log = new AuditLog(db, Redactor.shapesOnly());
                Optional<String> gap = log.verify();
                if (gap.isPresent()) {
                    out.println(place.prefix() + "audit trail broken: " + gap.get());
                    broken++;
                } else {
                    out.println(place.prefix() + "audit trail intact: " + log.recent(Integer.MAX_VALUE).size() + " rows");
                }
            }
        }
        return broken == 0 ? 0 : CommandErrors.FAILED;
    }
}
