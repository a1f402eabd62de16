package dev.opsbot.core.store;

import dev.opsbot.core.secrets.Redactor;
import java.nio.file.Path;

/**
 * A bot's process killed while audit rows wait in its journal: opens the H2 file given, appends
 * two rows that reach the table and then the rows given, and halts (no shutdown hooks, no close,
 * as a SIGKILL would leave it).
 */
public final class AuditJournalCrash {
    private AuditJournalCrash() {
    }

    public static void main(String[] args) {
        Database db = Database.open(Path.of(args[0]));
        AuditLog log = new AuditLog(db, Redactor.shapesOnly());
        log.append("slack:U1", "slack:C1", "command", "/ops help", "received");
        log.append("slack:U1", "slack:C1", "command", "/ops ps", "received");
        log.flush();
        for (int i = 1; i < args.length; i++) log.append("slack:U2", "slack:C1", "command", args[i], "received");
        Runtime.getRuntime().halt(0);
    }
}
