package dev.opsbot.core.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.button.Decision;
import dev.opsbot.core.button.Payload;
import dev.opsbot.core.button.PendingButtons;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.UserRef;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.store.AuditLog;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.store.DeployStore;
import dev.opsbot.core.store.LockStore;
import dev.opsbot.core.store.RunRecord;
import dev.opsbot.core.store.RunStatus;
import dev.opsbot.core.store.RunStore;
import dev.opsbot.core.testing.MutableClock;
import dev.opsbot.core.testing.Postgres;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RepoRoot;
import dev.opsbot.core.testing.StoreVendor;
import dev.opsbot.core.testing.TestBot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Growth stays bounded: a pass of the retention job, on a real H2 file and on PostgreSQL, forgets
 * the runs, steps, deploy records, decided buttons and run logs older than their periods, and keeps
 * what is recent, what is still going or holding the stack, what "last known good" reads, and every
 * audit row with its chain intact.
 */
class RetentionTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();
    private static final String STACK = "demo";
    private static final Duration OLD = Duration.ofDays(200);
    private static final Retention RETENTION = new Retention(Duration.ofDays(90), Duration.ofDays(30));

    @TempDir
    Path dir;

    /** A deploy of backend by run {@code id}, finished, and moved {@code age} into the past. */
    private static long deploy(Database db, RunStore runs, DeployStore deploys, String from, String to, boolean verified, Duration age) {
        long id = runs.start("deploy", "deploy " + to, Map.of("tag", to), "test:alice", "test:ops", 7);
        runs.stepStarted(id, 1, "pull");
        runs.stepEnded(id, 1, "SUCCEEDED", "pulled");
        deploys.record(id, STACK, "backend", from, to, "test:alice", null, verified ? "succeeded" : "failed", verified);
        runs.finish(id, verified ? RunStatus.SUCCEEDED : RunStatus.FAILED, "");
        age(db, id, age);
        return id;
    }

    private static long health(Database db, RunStore runs, Duration age) {
        long id = runs.start("health", "health", Map.of(), "test:bob", "test:ops", 3);
        runs.stepStarted(id, 1, "ps");
        runs.finish(id, RunStatus.SUCCEEDED, "");
        age(db, id, age);
        return id;
    }

    /** Moves a run, its steps and its deploy records into the past (the stores write the time of the moment). */
    private static void age(Database db, long runId, Duration age) {
        Timestamp then = Timestamp.from(Instant.now().minus(age));
        db.withConnection(c -> {
            for (String sql : List.of("UPDATE runs SET started_at = ? WHERE id = ?",
                    "UPDATE runs SET ended_at = ? WHERE ended_at IS NOT NULL AND id = ?",
                    "UPDATE run_steps SET started_at = ? WHERE run_id = ?",
                    "UPDATE run_steps SET ended_at = ? WHERE ended_at IS NOT NULL AND run_id = ?",
                    "UPDATE deploys SET at = ? WHERE run_id = ?")) {
                try (PreparedStatement p = c.prepareStatement(sql)) {
                    p.setTimestamp(1, then);
                    p.setLong(2, runId);
                    p.executeUpdate();
                }
            }
            return null;
        });
    }

    private static Set<Long> runIds(RunStore runs) {
        return runs.recent(1000).stream().map(RunRecord::id).collect(Collectors.toSet());
    }

    private static int count(Database db, String table) {
        return db.withConnection(c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void oldRunsGoAndWhatIsRecentRunningHoldingOrKnownGoodStays(StoreVendor vendor) {
        try (Database db = vendor.open(POSTGRES.freshSchema(), dir, POSTGRES)) {
            RunStore runs = new RunStore(db);
            DeployStore deploys = new DeployStore(db);
            AuditLog audit = new AuditLog(db, Redactor.shapesOnly());
            for (int i = 0; i < 20; i++) audit.append("test:alice", "test:ops", "command", "/ops deploy sha-000000" + i, "received");
            // Seven releases of backend half a year ago; the fourth failed. Then a health check each week, and one now.
            long first = deploy(db, runs, deploys, "sha-0000000", "sha-1111111", true, OLD.plusDays(7));
            long second = deploy(db, runs, deploys, "sha-1111111", "sha-2222222", true, OLD.plusDays(6));
            long third = deploy(db, runs, deploys, "sha-2222222", "sha-3333333", true, OLD.plusDays(5));
            long failed = deploy(db, runs, deploys, "sha-3333333", "sha-badc0de", false, OLD.plusDays(4));
            long fifth = deploy(db, runs, deploys, "sha-3333333", "sha-5555555", true, OLD.plusDays(3));
            long sixth = deploy(db, runs, deploys, "sha-5555555", "sha-6666666", false, OLD.plusDays(2));
            long seventh = deploy(db, runs, deploys, "sha-5555555", "sha-7777777", true, OLD.plusDays(1));
            long oldHealth = health(db, runs, Duration.ofDays(120));
            long monthOld = health(db, runs, Duration.ofDays(30));
            long recent = health(db, runs, Duration.ZERO);
            // A run a crash left going long ago, and a finished one whose lock was never released.
            long going = runs.start("restart", "restart worker", Map.of("service", "worker"), "test:bob", "test:ops", 1);
            age(db, going, OLD);
            long holding = health(db, runs, OLD);
            new LockStore(db).acquire(STACK, holding, "test:bob", "restart worker", Instant.now());
            String auditBefore = audit.recent(100).toString();
            Optional<String> goodBefore = deploys.lastKnownGood(STACK, "backend", "sha-7777777");

            RetentionJob.Pass pass = new RetentionJob(RETENTION, db, dir.resolve("logs"), new MutableClock()).once();

            assertEquals(Set.of(fifth, sixth, seventh, monthOld, recent, going, holding), runIds(runs),
                    "kept: backend's newest three deploys (the two newest verified releases among them), the recent, the going, the holding");
            assertEquals(5, pass.history().runs(), "removed: the first three releases, the failed one and the old health check");
            assertTrue(Set.of(first, second, third, failed, oldHealth).stream().noneMatch(runIds(runs)::contains));
            assertEquals(goodBefore, deploys.lastKnownGood(STACK, "backend", "sha-7777777"), "the last known good is the same");
            assertEquals(Optional.of("sha-5555555"), deploys.lastKnownGood(STACK, "backend", "sha-7777777"));
            assertEquals(3, count(db, "deploys"));
            assertEquals(Optional.of("pull"), runs.stepName(fifth, 1), "a kept run keeps its steps");
            assertEquals(Optional.empty(), runs.stepName(first, 1), "a removed run's steps go with it");
            assertEquals(20, count(db, "audit"), "audit rows are never removed");
            assertEquals(auditBefore, audit.recent(100).toString());
            assertEquals(Optional.empty(), audit.verify(), "the audit chain is intact");
            assertTrue(new RetentionJob(RETENTION, db, dir.resolve("logs"), new MutableClock()).once().nothing(), "a second pass finds nothing");
        }
    }

    @Test
    void whatLastKnownGoodReadsOutlivesAnyPeriod() {
        try (Database db = Database.open(dir.resolve("db/opsbot"))) {
            RunStore runs = new RunStore(db);
            DeployStore deploys = new DeployStore(db);
            // Two verified releases long ago, then a run of failures: rolling back must still find sha-2222222.
            deploy(db, runs, deploys, "sha-0000000", "sha-1111111", true, OLD.plusDays(9));
            deploy(db, runs, deploys, "sha-1111111", "sha-2222222", true, OLD.plusDays(8));
            for (int i = 0; i < 5; i++) deploy(db, runs, deploys, "sha-2222222", "sha-bad000" + i, false, OLD.plusDays(7 - i));
            new RetentionJob(RETENTION, db, dir.resolve("logs"), new MutableClock()).once();
            assertEquals(Optional.of("sha-2222222"), deploys.lastKnownGood(STACK, "backend", "sha-bad0004"));
            assertEquals(Optional.of("sha-1111111"), deploys.lastKnownGood(STACK, "backend", "sha-2222222"),
                    "and the release before it, for a rollback from it");
            assertEquals(5, count(db, "deploys"), "the newest three, and the two verified releases");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void decidedButtonsGoAfterThePeriodAndUndecidedOnesStay(StoreVendor vendor) {
        try (Database db = vendor.open(POSTGRES.freshSchema(), dir, POSTGRES)) {
            MutableClock clock = new MutableClock();
            PendingButtons buttons = new PendingButtons(db, clock);
            UserRef alice = UserRef.of("test", "alice");
            ChannelRef ops = ChannelRef.of("test", "ops");
            String decided = offer(buttons, alice, ops, Duration.ofMinutes(10));
            buttons.decide(decided, alice, Decision.CONFIRM);
            String expired = offer(buttons, alice, ops, Duration.ofMinutes(10));
            clock.advance(Duration.ofMinutes(11));
            buttons.expireDue();
            String alertButton = offer(buttons, PendingButtons.ALERTS, ops, Duration.ofDays(3650));
            clock.advance(Duration.ofDays(91));
            String recent = offer(buttons, alice, ops, Duration.ofMinutes(10));
            buttons.decide(recent, alice, Decision.CANCEL);

            RetentionJob.Pass pass = new RetentionJob(RETENTION, db, dir.resolve("logs"), clock).once();

            assertEquals(2, pass.history().buttons());
            assertFalse(buttons.find(decided).isPresent(), "decided 91 days ago");
            assertFalse(buttons.find(expired).isPresent(), "expired 91 days ago");
            assertTrue(buttons.find(alertButton).isPresent(), "an open alert's button, undecided, stays");
            assertTrue(buttons.find(recent).isPresent(), "decided just now");
        }
    }

    private static String offer(PendingButtons buttons, UserRef by, ChannelRef channel, Duration ttl) {
        return buttons.offer(List.of(new PendingButtons.Choice("Go", Button.Style.PRIMARY, new Payload.Acknowledge(1))), by, channel, ttl)
                .buttons().get(0).token();
    }

    @Test
    void runLogsOlderThanTheirPeriodGoAndNothingElseInTheFolder() throws IOException {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Instant now = Instant.now();
        Path old = write(logs.resolve("run-1.log"), now.minus(Duration.ofDays(31)));
        Path recent = write(logs.resolve("run-2.log"), now.minus(Duration.ofDays(29)));
        Path notOurs = write(logs.resolve("notes.txt"), now.minus(Duration.ofDays(400)));
        Path lookalike = write(logs.resolve("run-3.log.bak"), now.minus(Duration.ofDays(400)));
        try (Database db = Database.open(dir.resolve("db/opsbot"))) {
            RetentionJob.Pass pass = new RetentionJob(RETENTION, db, logs, new MutableClock()).once();
            assertEquals(1, pass.logFiles());
        }
        assertFalse(Files.exists(old));
        assertTrue(Stream.of(recent, notOurs, lookalike).allMatch(Files::exists));
    }

    @Test
    void aReplicaThatDoesNotLeadRemovesItsOwnLogsAndLeavesTheSharedHistoryToTheLeader() throws IOException {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path old = write(logs.resolve("run-1.log"), Instant.now().minus(OLD));
        try (Database db = Database.open(dir.resolve("db/opsbot"))) {
            RunStore runs = new RunStore(db);
            health(db, runs, OLD);
            RetentionJob.Pass pass = new RetentionJob(RETENTION, db, logs, new MutableClock(), () -> false).once();
            assertEquals(1, pass.logFiles());
            assertEquals(1, runIds(runs).size(), "the old run stays for the leader to forget");
            assertEquals(1, new RetentionJob(RETENTION, db, logs, new MutableClock(), () -> true).once().history().runs());
        }
        assertFalse(Files.exists(old));
    }

    @Test
    void keptForeverMeansKept() throws IOException {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path old = write(logs.resolve("run-1.log"), Instant.now().minus(Duration.ofDays(4000)));
        try (Database db = Database.open(dir.resolve("db/opsbot"))) {
            RunStore runs = new RunStore(db);
            health(db, runs, Duration.ofDays(4000));
            assertTrue(new RetentionJob(Retention.forever(), db, logs, new MutableClock()).once().nothing());
            assertEquals(1, runIds(runs).size());
        }
        assertTrue(Files.exists(old));
    }

    @Test
    void aBotAppliesTheDefaultsWhenItStarts() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path oldLog = write(logs.resolve("run-1.log"), Instant.now().minus(OLD));
        Path newLog = write(logs.resolve("run-2.log"), Instant.now());
        try (Database db = Database.open(dir.resolve("db/opsbot"))) {
            RunStore runs = new RunStore(db);
            health(db, runs, OLD);
            health(db, runs, Duration.ZERO);
        }
        Path stackDir = Files.createDirectories(dir.resolve("stack"));
        Files.copy(RepoRoot.get().resolve("examples/demo/docker-compose.yml"), stackDir.resolve("docker-compose.yml"));
        Stack stack = new Stack("demo", stackDir.resolve("docker-compose.yml"), "opsbot-retention", Map.of());
        try (DockerEngine unreachable = DockerEngine.connect("unix://" + dir.resolve("no-docker.sock"));
             TestBot bot = new TestBot(dir, stack, unreachable.host(), new RecordingChatPort())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (Files.exists(oldLog) && System.nanoTime() < deadline) Thread.sleep(20);
            assertFalse(Files.exists(oldLog), "a log older than 30 days is removed at start");
            assertTrue(Files.exists(newLog));
            while (bot.bot.services().runs().recent(10).size() > 1 && System.nanoTime() < deadline) Thread.sleep(20);
            assertEquals(List.of(2L), bot.bot.services().runs().recent(10).stream().map(RunRecord::id).toList(), "a run older than 90 days is removed");
        }
    }

    private static Path write(Path file, Instant modified) throws IOException {
        Files.writeString(file, "step output\n");
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }
}
