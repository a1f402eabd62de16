package dev.opsbot.core.store;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * A bot's process that commits many times and is then killed: opens the H2 file given, makes the
 * given number of commits (a row each) and halts without closing, as a SIGKILL would leave it.
 */
public final class CommitsThenKilled {
    private CommitsThenKilled() {
    }

    public static void main(String[] args) {
        Database db = Database.open(Path.of(args[0]));
        db.withConnection(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE compaction_probe (id INT PRIMARY KEY, note VARCHAR(300))");
            }
            return null;
        });
        for (int i = 0; i < Integer.parseInt(args[1]); i++) {
            int id = i;
            db.inTransaction(c -> {
                try (PreparedStatement p = c.prepareStatement("INSERT INTO compaction_probe VALUES (?, ?)")) {
                    p.setInt(1, id);
                    p.setString(2, "row " + id + " ".repeat(200));
                    return p.executeUpdate();
                }
            });
        }
        Runtime.getRuntime().halt(0);
    }
}
