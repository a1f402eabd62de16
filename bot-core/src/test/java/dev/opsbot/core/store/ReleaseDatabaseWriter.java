package dev.opsbot.core.store;

import dev.opsbot.core.secrets.Redactor;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Writes the database a release leaves behind, through the real stores, so that a later
 * release's upgrade test can open it ({@code db/opsbot-<release>.mv.db} under test resources).
 * Run it once on the release's own code: {@code java -cp ... ReleaseDatabaseWriter target/opsbot-0.1.0}.
 * {@link DatabaseUpgradeTest} asserts exactly these rows.
 */
final class ReleaseDatabaseWriter {
    static final String PENDING_TOKEN = "tok-0123456789abcdef";
    static final Instant PENDING_EXPIRES = Instant.parse("2099-01-01T00:00:00Z");

    private ReleaseDatabaseWriter() {
    }

    public static void main(String[] args) {
        try (Database db = Database.open(Path.of(args[0]))) {
            AuditLog audit = new AuditLog(db, Redactor.shapesOnly());
            audit.append("slack:U1", "slack:C1", "command", "/ops deploy sha-5d6e7f8", "received");
            audit.append("slack:U2", "slack:C1", "confirm", "deploy sha-5d6e7f8", "confirmed");
            audit.append("slack:U1", "slack:C1", "run", "deploy sha-5d6e7f8 (run #1)", "succeeded");

            RunStore runs = new RunStore(db);
            long run = runs.start("deploy", "/ops deploy sha-5d6e7f8", "{\"tag\":\"sha-5d6e7f8\"}", "slack:U1", "slack:C1", 2);
            runs.liveMessage(run, "m2");
            runs.stepStarted(run, 0, "pull");
            runs.stepEnded(run, 0, "SUCCEEDED", "pulled 2 images");
            runs.stepStarted(run, 1, "up");
            runs.stepEnded(run, 1, "SUCCEEDED", "recreated backend, worker");
            runs.finish(run, RunStatus.SUCCEEDED, "backend sha-1a2b3c4 -> sha-5d6e7f8");

            new DeployStore(db).record(run, "demo", "backend", "sha-1a2b3c4", "sha-5d6e7f8", "slack:U1", "slack:U2", "succeeded", true);

            new PendingActionStore(db).save(new PendingAction(PENDING_TOKEN, "grp-0123456789abcdef", "INVOKE",
                    "rollback sha-1a2b3c4", "slack:U1", "slack:C1", "m3", Instant.parse("2025-01-01T00:00:00Z"),
                    PENDING_EXPIRES, null, null, null));
        }
    }
}
