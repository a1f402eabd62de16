package dev.opsbot.core.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.replica.Replicas.Replica;
import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.secrets.SecretGenerator;
import dev.opsbot.core.store.AuditEntry;
import dev.opsbot.core.store.AuditLog;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.store.DeployStore;
import dev.opsbot.core.store.RunRecord;
import dev.opsbot.core.store.RunStatus;
import dev.opsbot.core.store.RunStore;
import dev.opsbot.core.testing.ModalChatPort;
import dev.opsbot.core.testing.Postgres;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import dev.opsbot.core.testing.RepoRoot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas of one environment on one PostgreSQL schema, one chat platform: every press, form
 * and command works on whichever replica receives it, and what must happen once happens once. The
 * runbooks here need no engine (an HTTP check this test holds, a question, an echo).
 */
@Timeout(90)
class TwoReplicasTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();
    private static final Duration QUICK = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    HttpServer slow;
    DockerEngine unreachable;
    Stack stack;
    Replicas replicas;
    RecordingChatPort chat;
    final CountDownLatch checkStarted = new CountDownLatch(1);
    final CountDownLatch checkMayEnd = new CountDownLatch(1);

    @BeforeEach
    void setUp() throws Exception {
        slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slow.createContext("/slow", exchange -> {
            checkStarted.countDown();
            try {
                checkMayEnd.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        slow.start();
        String check = "http-check: {url: \"http://127.0.0.1:" + slow.getAddress().getPort() + "/slow\", retries: 1, request-timeout: 60s}";
        Path runbooks = Files.createDirectories(dir.resolve("runbooks"));
        Files.writeString(runbooks.resolve("echoing.yml"), """
                name: echoing
                summary: says something
                mutates: true
                steps:
                  - echo: {text: said}
                """);
        Files.writeString(runbooks.resolve("approved.yml"), """
                name: approved
                summary: needs someone else's approval
                mutates: true
                approval: {approvers: 1}
                steps:
                  - echo: {text: approved and done}
                """);
        Files.writeString(runbooks.resolve("slowcheck.yml"), """
                name: slowcheck
                summary: a slow check, a question, an echo
                mutates: true
                steps:
                  - %s
                  - choice: {question: "go on?", options: [{label: Go, steps: [{echo: {text: going}}]}, {label: Stop}], wait: 1m}
                  - echo: {text: done}
                """.formatted(check));
        Files.writeString(runbooks.resolve("asksecret.yml"), """
                name: asksecret
                summary: asks for a key another service issued
                steps:
                  - secret-form: {name: API_KEY}
                """);
        Files.writeString(runbooks.resolve("fakedeploy.yml"), """
                name: fakedeploy
                summary: pins a tag, then a slow check
                mutates: true
                params:
                  - {name: tag, kind: tag}
                steps:
                  - pin: {services: [backend, worker], tag: "${tag}"}
                  - %s
                  - echo: {text: "deployed ${tag}"}
                """.formatted(check));
        Files.writeString(runbooks.resolve("rollback.yml"), """
                name: rollback
                summary: pins the old tag back
                mutates: true
                params:
                  - {name: tag, kind: tag}
                steps:
                  - pin: {services: [backend, worker], tag: "${tag}"}
                """);
        Path stackDir = Files.createDirectories(dir.resolve("stack"));
        Files.copy(RepoRoot.get().resolve("examples/demo/docker-compose.yml"), stackDir.resolve("docker-compose.yml"));
        Files.copy(RepoRoot.get().resolve("examples/demo/.env.example"), stackDir.resolve(".env"));
        stack = new Stack("shop", stackDir.resolve("docker-compose.yml"), "opsbot-replicas", Map.of());
        unreachable = DockerEngine.connect("unix://" + dir.resolve("no-docker.sock"));
        replicas = new Replicas(POSTGRES.server(), POSTGRES.freshSchema(), dir, stack, unreachable.host(), runbooks);
        chat = replicas.chat;
    }

    @AfterEach
    void tearDown() {
        checkMayEnd.countDown();
        replicas.close();
        slow.stop(0);
        unreachable.close();
    }

    @Test
    void theSameConfirmPressedOnBothReplicasAtOnceStartsOneRun() throws Exception {
        Replica a = replicas.start("a");
        Replica b = replicas.start("b");
        a.type("alice", "echoing");
        Event ask = chat.awaitPostWithTitle(0, "Confirm: echoing", QUICK);
        int from = chat.size();
        a.press("alice", ask, "Confirm", chat);
        b.press("alice", ask, "Confirm", chat);
        Event live = chat.awaitPostWithTitle(from, "Running: echoing", QUICK);
        assertEquals(Tone.SUCCESS, chat.awaitState(live.ref(), m -> m.tone() != Tone.PROGRESS, QUICK).tone());
        assertTrue(chat.awaitWhisper(from, QUICK).message().title().contains("Already decided"));
        Thread.sleep(500);
        assertEquals(1, posts(from, "Running: echoing"), chat.describe(from));
        assertEquals(1, runs(a).size());
        assertEquals(Optional.empty(), replicas.verifyAudit());
    }

    @Test
    void aRunAskedOnOneReplicaAndApprovedOnTheOtherByTwoPeopleAtOnceRunsOnce() throws Exception {
        Replica a = replicas.start("a");
        Replica b = replicas.start("b");
        a.type("alice", "approved");
        Event request = chat.awaitPostWithTitle(0, "Approval needed: approved", QUICK);
        int from = chat.size();
        b.press("bob", request, "Approve", chat);
        a.press("carol", request, "Approve", chat);
        Event live = chat.awaitPostWithTitle(from, "Running: approved", QUICK);
        Message done = chat.awaitState(live.ref(), m -> m.tone() != Tone.PROGRESS, QUICK);
        assertEquals(Tone.SUCCESS, done.tone(), done.plainText());
        Thread.sleep(500);
        assertEquals(1, posts(from, "Running: approved"), chat.describe(from));
        assertTrue(chat.message(request.ref()).title().startsWith("Approved: approved"), chat.message(request.ref()).plainText());
        assertEquals(List.of(RunStatus.SUCCEEDED), runs(a).stream().map(RunRecord::status).toList());
        assertEquals(Optional.empty(), replicas.verifyAudit());
    }

    @Test
    void aQuestionOfARunOnOneReplicaIsAnsweredOnTheOther() throws Exception {
        checkMayEnd.countDown();
        Replica a = replicas.start("a");
        Replica b = replicas.start("b");
        a.type("alice", "slowcheck");
        a.press("alice", chat.awaitPostWithTitle(0, "Confirm: slowcheck", QUICK), "Confirm", chat);
        Event live = chat.awaitPostWithTitle(0, "Running: slowcheck", QUICK);
        Event question = chat.awaitPostWithTitle(0, "asks: go on?", QUICK);
        b.press("alice", question, "Go", chat);
        Message done = chat.awaitState(live.ref(), m -> m.tone() != Tone.PROGRESS, QUICK);
        assertEquals(Tone.SUCCESS, done.tone(), done.plainText());
        assertTrue(done.plainText().contains("going"), "the option pressed on b ran on a: " + done.plainText());
        assertTrue(chat.message(question.ref()).code().contains("Answered: Go"), chat.message(question.ref()).plainText());
        assertEquals("a", runs(b).get(0).owner());
        assertEquals(Optional.empty(), replicas.verifyAudit());
    }

    @Test
    void aCancelTypedOnTheOtherReplicaStopsTheRunBeforeItsNextStepOrEndsItsWait() throws Exception {
        Replica a = replicas.start("a");
        Replica b = replicas.start("b");
        a.type("alice", "slowcheck");
        a.press("alice", chat.awaitPostWithTitle(0, "Confirm: slowcheck", QUICK), "Confirm", chat);
        Event live = chat.awaitPostWithTitle(0, "Running: slowcheck", QUICK);
        assertTrue(checkStarted.await(20, TimeUnit.SECONDS));
        int from = chat.size();
        b.type("alice", "cancel 1");
        Event answer = chat.awaitWhisper(from, QUICK);
        assertEquals("Cancelling run #1", answer.message().title(), answer.message().plainText());
        assertTrue(answer.message().text().contains("on replica a"), answer.message().plainText());
        checkMayEnd.countDown();
        Message cancelled = chat.awaitState(live.ref(), m -> m.tone() != Tone.PROGRESS, QUICK);
        assertTrue(cancelled.text().contains("Cancelled by alice before step 2/3"), cancelled.plainText());
        assertEquals(0, posts(0, "asks: go on?"), "the question was never asked");

        a.type("alice", "slowcheck");
        a.press("alice", chat.awaitPostWithTitle(from, "Confirm: slowcheck", QUICK), "Confirm", chat);
        Event second = chat.awaitPostWithTitle(from, "Running: slowcheck", QUICK);
        Event question = chat.awaitPostWithTitle(from, "asks: go on?", QUICK);
        long id = runs(a).get(0).id();
        long asked = System.nanoTime();
        b.type("alice", "cancel " + id);
        Message stopped = chat.awaitState(question.ref(), m -> m.code().contains("Run cancelled."), QUICK);
        assertTrue(Duration.ofNanos(System.nanoTime() - asked).compareTo(Duration.ofSeconds(3)) < 0, "a wait ends within a heartbeat or two");
        assertTrue(stopped.buttons().isEmpty());
        chat.awaitState(second.ref(), m -> m.tone() != Tone.PROGRESS, QUICK);
        assertEquals(RunStatus.CANCELLED, awaitStatus(a, id, RunStatus.CANCELLED));
        assertEquals(Optional.empty(), replicas.verifyAudit());
    }

    @Test
    void aSecretFormSubmittedOnTheOtherReplicaReachesTheRunSealedAndNeverInClear() throws Exception {
        Replica a = replicas.start("a");
        Replica b = replicas.start("b");
        String secret = "sk-live-0123456789-a-key-issued-elsewhere";
        a.type("alice", "asksecret");
        Event live = chat.awaitPostWithTitle(0, "Running: asksecret", QUICK);
        Event ask = chat.awaitPostWithTitle(0, "needs the new value of API_KEY", QUICK);
        b.press("alice", ask, "Enter the new API_KEY", chat);
        ModalChatPort.Opened form = replicas.platform.awaitModal(0, QUICK);
        b.submit("alice", form.modal().token(), Map.of("value", secret));
        Message done = chat.awaitState(live.ref(), m -> m.tone() != Tone.PROGRESS, QUICK);
        assertEquals(Tone.SUCCESS, done.tone(), done.plainText());
        assertTrue(done.plainText().contains("received fingerprint " + SecretGenerator.fingerprint(secret)), done.plainText());
        assertEquals(List.of(), whereInTheDatabase(a.db(), secret), "the value is stored nowhere");
        assertTrue(chat.events().stream().noneMatch(e -> e.message() != null && e.message().plainText().contains(secret)));
        assertEquals(Optional.empty(), replicas.verifyAudit());
    }

    @Test
    void aRunWhoseReplicaIsKilledIsReportedOnceByTheLeaderAndResumedThere() throws Exception {
        Replica b = replicas.start("b");
        Replica a = replicas.start("a");
        assertTrue(b.bot().leadership().leading(), "b started first and leads");
        new DeployStore(b.db()).record(0, "shop", "backend", "sha-0000000", "sha-1a2b3c4", "test:alice", null, "succeeded", true);
        a.type("alice", "fakedeploy sha-5d6e7f8");
        a.press("alice", chat.awaitPostWithTitle(0, "Confirm: fakedeploy", QUICK), "Confirm", chat);
        chat.awaitPostWithTitle(0, "Running: fakedeploy", QUICK);
        assertTrue(checkStarted.await(20, TimeUnit.SECONDS), "the run is in its second step on a");

        long killed = System.nanoTime();
        replicas.kill("a");
        Event report = chat.awaitPostWithTitle(0, "Run #1 was interrupted", Duration.ofSeconds(15));
        Duration reported = Duration.ofNanos(System.nanoTime() - killed);
        assertTrue(reported.compareTo(Replicas.TTL.plusSeconds(2)) < 0, "reported within a lease and a sweep: " + reported);
        String text = report.message().text();
        assertTrue(text.contains("was interrupted when replica a stopped during step 2/3"), text);
        assertEquals(List.of("Resume at step 2", "Roll back to sha-1a2b3c4", "Acknowledge"),
                chat.message(report.ref()).buttons().stream().map(Button::label).toList());
        Thread.sleep(2 * Replicas.TTL.toMillis());
        assertEquals(1, posts(0, "Run #1 was interrupted"), "reported once: " + chat.describe(0));
        assertTrue(b.bot().lock().isPresent(), "the stack stays locked for the resume");

        checkMayEnd.countDown();
        int from = chat.size();
        b.press("alice", report, "Resume", chat);
        Event resumed = chat.awaitPostWithTitle(from, "Running: fakedeploy", QUICK);
        Message done = chat.awaitState(resumed.ref(), m -> m.tone() != Tone.PROGRESS, QUICK);
        assertEquals(Tone.SUCCESS, done.tone(), done.plainText());
        assertTrue(done.plainText().contains("resuming at step 2/3 of interrupted run #1"), done.plainText());
        assertEquals(Optional.empty(), b.bot().lock(), "the resumed run took the lock over and let it go");
        List<RunRecord> all = runs(b);
        assertEquals(List.of(2L, 1L), all.stream().map(RunRecord::id).toList(), "no run number twice");
        assertEquals(List.of(RunStatus.SUCCEEDED, RunStatus.INTERRUPTED), all.stream().map(RunRecord::status).toList());
        assertEquals("b", all.get(0).owner());
        AuditLog audit = new AuditLog(b.db(), Redactor.shapesOnly());
        assertEquals(1, audit.recent(200).stream().map(AuditEntry::action).filter("run.interrupted"::equals).count());
        assertEquals(Optional.empty(), replicas.verifyAudit());
    }

    private long posts(int from, String title) {
        return chat.events().stream().skip(from).filter(e -> e.kind().equals("post") && e.message().title().startsWith(title)).count();
    }

    private static List<RunRecord> runs(Replica r) {
        return new RunStore(r.db()).recent(20);
    }

    private static RunStatus awaitStatus(Replica r, long id, RunStatus wanted) throws InterruptedException {
        long deadline = System.nanoTime() + QUICK.toNanos();
        RunStatus now = null;
        while (System.nanoTime() < deadline) {
            now = new RunStore(r.db()).find(id).orElseThrow().status();
            if (now == wanted) return now;
            Thread.sleep(50);
        }
        return now;
    }

    /** Every table and column of the schema where {@code text} appears. */
    private static List<String> whereInTheDatabase(Database db, String text) {
        return db.withConnection(c -> {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
                while (rs.next()) tables.add(rs.getString("TABLE_NAME"));
            }
            List<String> found = new ArrayList<>();
            for (String table : tables) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            String value = rs.getString(i);
                            if (value != null && value.contains(text)) found.add(table + "." + meta.getColumnName(i));
                        }
                    }
                }
            }
            return found;
        });
    }
}
