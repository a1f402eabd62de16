package dev.opsbot.app.replicas;

import static dev.opsbot.app.replicas.SlackChat.ALERTS;
import static dev.opsbot.app.replicas.SlackChat.ALICE;
import static dev.opsbot.app.replicas.SlackChat.BOB;
import static dev.opsbot.app.replicas.SlackChat.OPS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.Postgres;
import dev.opsbot.core.testing.RepoRoot;
import dev.opsbot.discord.FakeDiscord;
import dev.opsbot.slack.FakeSlack;
import dev.opsbot.slack.FakeSocketMode;
import dev.opsbot.slack.SlackButtons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * Two replicas against one PostgreSQL database, in real processes, with the real engine and
 * the demo stack, Slack in Socket Mode and Discord through their local fakes: what
 * docs/high-availability.md promises an on-call person. One fixture for the whole class
 * (starting it is most of the time); the tests run in order, each leaving both replicas running
 * for the next.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(240)
class ReplicasTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();

    private static final Duration ANSWER = Duration.ofSeconds(20);
    private static final Duration RUN = Duration.ofSeconds(120);
    private static final Duration ALERT = Duration.ofSeconds(40);
    /** After an alert, how long to watch for a second one (lease and renewal times with room to spare). */
    private static final Duration NO_SECOND = Duration.ofSeconds(8);
    /** After a run, how long to watch for a second one: a second press is handled at once, long before the first run ends. */
    private static final Duration NO_SECOND_RUN = Duration.ofSeconds(2);
    private static final Pattern RUN_NUMBER = Pattern.compile("run #(\\d+)");
    /** A run's live message title: what it runs and its number. */
    private static final Pattern RUN_TITLE = Pattern.compile("(?:Running|Succeeded|Failed|Cancelled|Interrupted): (.+?) \\(run #(\\d+)\\)");
    private static final Pattern LEADER_METRIC = Pattern.compile("(?m)^opsbot_leader\\{environment=\"demo\"} 1(\\.0)?$");

    private static final String SETTINGS = """
            access:
              roles:
                viewer: ["*"]
                deployer: ["slack:U0ALICE", "discord:1200000000000000501"]
                approver: ["slack:U0BOB"]
            monitor:
              renotify: 1h
              channels:
                critical: ["slack:C0ALERTS"]
            """;
    private static final String QUICK_DEPLOY = """
            name: quickdeploy
            summary: pin backend and worker, recreate
            mutates: true
            params:
              - {name: tag, kind: tag}
            steps:
              - pin: {services: [backend, worker], tag: "${tag}"}
              - up: {}
              - wait-healthy: {services: [backend]}
                timeout: 60s
            """;
    private static final String APPROVED_DEPLOY = QUICK_DEPLOY.replace("name: quickdeploy", "name: approveddeploy")
            + "approval: {approvers: 1, role: approver}\n";
    private static final String SLOW_DEPLOY = """
            name: slowdeploy
            summary: a deploy with a slow migration
            mutates: true
            params:
              - {name: tag, kind: tag}
            steps:
              - pin: {services: [backend, worker], tag: "${tag}"}
              - run: {service: backend, command: [sleep, "12"]}
                title: slow migration
              - up: {}
              - wait-healthy: {services: [backend]}
                timeout: 60s
            """;

    private DockerEngine docker;
    private TwoReplicas replicas;
    private SlackChat chat;
    /** Why the fixture could not start (no Docker engine, no PostgreSQL), or null. */
    private String unavailable;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        try {
            docker = DockerSupport.connect();
            replicas = TwoReplicas.start(dir, logs(), docker, POSTGRES.server(), SETTINGS,
                    Map.of("quickdeploy.yml", QUICK_DEPLOY, "approveddeploy.yml", APPROVED_DEPLOY, "slowdeploy.yml", SLOW_DEPLOY,
                            "rollback.yml", Files.readString(RepoRoot.get().resolve("runbooks/rollback.yml"))));
            chat = new SlackChat(replicas.slack());
        } catch (TestAbortedException noEngineOrServer) {
            // Skipped here, the reason would show nowhere: each test is skipped with it instead.
            unavailable = noEngineOrServer.getMessage();
        }
    }

    @BeforeEach
    void needsTheFixture() {
        Assumptions.assumeTrue(unavailable == null, () -> unavailable);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (replicas != null) replicas.close();
        } finally {
            if (docker != null) docker.close();
        }
    }

    @Test
    @Order(1)
    void slackSpreadsTheCommandsOverBothReplicasAndEachIsAnsweredOnce() throws Exception {
        List<SlackChat.Typed> typed = new ArrayList<>();
        for (int i = 0; i < 16; i++) typed.add(chat.type(new SlackChat.Person("U0SPREAD" + i, "spread" + i), OPS, "help"));

        for (SlackChat.Typed t : typed) awaitAnswer(t);
        Thread.sleep(500);
        Set<String> receivers = replicas.slack().socketMode().deliveries().stream().map(FakeSocketMode.Delivery::replica)
                .collect(Collectors.toSet());
        assertEquals(Set.of("a", "b"), receivers, "Slack gave each replica some of the commands");
        for (SlackChat.Typed t : typed) assertEquals(1, chat.answers(t).size(), "answered once: " + t + replicas.tails());
    }

    @Test
    @Order(2)
    void aDiscordCommandReachesBothReplicasAndIsAnsweredByOne() throws Exception {
        FakeDiscord discord = replicas.discord();
        String id = discord.slashCommand(FakeDiscord.deployer(), "history", Map.of());

        FakeDiscord.Request answer = discord.awaitRequest(r -> r.method().equals("POST") && r.title().contains("History of demo"),
                ANSWER, "the history on Discord");
        Thread.sleep(NO_SECOND.toMillis() / 2);
        String winner = discord.callbacks().answeredBy(id).orElseThrow(() -> new AssertionError("nobody answered " + id));
        List<FakeDiscord.Request> answers = discord.requests().stream()
                .filter(r -> r.method().equals("POST") && r.title().contains("History of demo")).toList();
        assertEquals(1, answers.size(), "one history posted, not one per replica: " + answers.stream().map(FakeDiscord.Request::replica)
                .toList() + replicas.tails());
        assertEquals(winner, answer.replica(), "the replica whose acknowledgement Discord took answered");
    }

    @Test
    @Order(3)
    void readinessAndMetricsSayWhichReplicaLeads() throws Exception {
        String leader = replicas.leader("demo", ANSWER);
        String follower = TwoReplicas.other(leader);

        JsonNode leading = replicas.replica(leader).readyz();
        JsonNode following = replicas.replica(follower).readyz();
        assertTrue(leading.path("leadership").path("demo").path("since").asText().matches("\\d{4}-.*Z"), leading.toString());
        assertEquals(false, following.path("leadership").path("demo").path("leading").asBoolean(), following.toString());
        assertEquals(leading.path("replica").asText(), following.path("leadership").path("demo").path("leader").asText(),
                "the follower names the leader");
        assertTrue(LEADER_METRIC.matcher(replicas.replica(leader).management("/metrics").body()).find(), "opsbot_leader 1 on " + leader);
        assertFalse(LEADER_METRIC.matcher(replicas.replica(follower).management("/metrics").body()).find(), "opsbot_leader 0 on " + follower);
    }

    @Test
    @Order(4)
    void theSameConfirmPressedOnBothReplicasAtOnceStartsOneRun() throws Exception {
        chat.type(ALICE, OPS, "quickdeploy " + DemoStack.NEWER);
        FakeSlack.Call ask = chat.awaitPost(OPS, "quickdeploy " + DemoStack.NEWER, ANSWER);

        String press = chat.pressOnEach(ALICE, ask, "Confirm");

        chat.awaitShown(OPS, "Succeeded: quickdeploy " + DemoStack.NEWER, RUN);
        Thread.sleep(NO_SECOND_RUN.toMillis());
        assertEquals(Set.of("a", "b"), replicas.slack().socketMode().deliveries(press).stream()
                .map(FakeSocketMode.Delivery::replica).collect(Collectors.toSet()), "both replicas received the press");
        assertEquals(1, runNumbers("quickdeploy").size(), "one run: " + runNumbers("quickdeploy") + replicas.tails());
        assertRunning(DemoStack.NEWER);
    }

    @Test
    @Order(5)
    void aDeployAskedOnOneReplicaAndApprovedOnTheOtherRunsOnce() throws Exception {
        chat.typeOn("a", ALICE, OPS, "approveddeploy " + DemoStack.GOOD);
        FakeSlack.Call request = chat.awaitPost(OPS, "Approval needed: approveddeploy " + DemoStack.GOOD, ANSWER);
        assertEquals("a", request.replica(), "the replica that received the command asked for approval");

        String press = chat.pressOn("b", BOB, request, "Approve");

        assertEquals("b", replicas.slack().socketMode().awaitAck(press, ANSWER).replica());
        chat.awaitShown(OPS, "Succeeded: approveddeploy " + DemoStack.GOOD, RUN);
        Thread.sleep(NO_SECOND_RUN.toMillis());
        assertEquals(1, runNumbers("approveddeploy").size(), "one run: " + runNumbers("approveddeploy") + replicas.tails());
        assertRunning(DemoStack.GOOD);
    }

    @Test
    @Order(6)
    void killingTheReplicaRunningADeployLeavesTheRunToTheSurvivor() throws Exception {
        chat.type(ALICE, OPS, "slowdeploy " + DemoStack.NEWER);
        FakeSlack.Call ask = chat.awaitPost(OPS, "slowdeploy " + DemoStack.NEWER, ANSWER);
        chat.press(ALICE, ask, "Confirm");
        // The run's live message at its slow step (the confirmation lists the steps too, and may come from the other replica).
        FakeSlack.Call step = chat.awaitShown(OPS, "2/4 slow migration", RUN);
        String runner = step.replica();
        String survivor = TwoReplicas.other(runner);

        try (CommandStream commands = new CommandStream(chat, Duration.ofMillis(400))) {
            Thread.sleep(1200);
            commands.betweenCommands(ANSWER, () -> assertEquals(137, replicas.kill(runner), "killed, not stopped"));

            FakeSlack.Call report = chat.awaitPost(OPS, "was interrupted", Duration.ofSeconds(60));
            assertEquals(survivor, report.replica(), "the survivor reported the run" + replicas.tails());
            chat.press(ALICE, report, "Resume");
            FakeSlack.Call done = chat.awaitShown(OPS, "Succeeded: slowdeploy " + DemoStack.NEWER, RUN);
            assertEquals(survivor, done.replica(), "the survivor ran the rest");
            assertEquals(List.of(), commands.unanswered(ANSWER), "every command was answered while " + runner + " was dead");
            List<String> labels = SlackButtons.of(report).stream().map(SlackButtons.Seen::label).toList();
            assertTrue(labels.stream().anyMatch(l -> l.startsWith("Roll back to ")), labels.toString());
            assertTrue(labels.contains("Acknowledge"), "the report offers Resume, Roll back and Acknowledge: " + labels);
        } finally {
            if (!replicas.isRunning(runner)) replicas.restart(runner);
        }
        assertRunning(DemoStack.NEWER);
    }

    @Test
    @Order(7)
    void anUnhealthyBackendIsAlertedOnceWithTwoReplicasRunning() throws Exception {
        health("backend", "/www/health", false);

        FakeSlack.Call alert = chat.awaitPost(ALERTS, "Failing: backend healthcheck", ALERT);
        assertEquals(replicas.leader("demo", ANSWER), alert.replica(), "the leader alerted");
        Thread.sleep(NO_SECOND.toMillis());
        assertEquals(1, chat.posts(ALERTS, "Failing: backend healthcheck").size(), "one alert" + replicas.tails());
    }

    @Test
    @Order(8)
    void whenTheLeaderDiesTheOtherAlertsAFailureOfTheGapOnceAndNotTheOldOneAgain() throws Exception {
        String leader = replicas.leader("demo", ANSWER);
        String survivor = TwoReplicas.other(leader);
        try (CommandStream commands = new CommandStream(chat, Duration.ofMillis(400))) {
            Thread.sleep(1200);
            commands.betweenCommands(ANSWER, () -> replicas.kill(leader));
            health("web", "/www/index.html", false);

            FakeSlack.Call alert = chat.awaitPost(ALERTS, "Failing: web healthcheck", ALERT);
            assertEquals(survivor, alert.replica(), "the new leader alerted");
            assertEquals(survivor, replicas.leader("demo", ANSWER), "the survivor's /readyz says it leads");
            Thread.sleep(NO_SECOND.toMillis());
            assertEquals(1, chat.posts(ALERTS, "Failing: web healthcheck").size(), "one alert for web" + replicas.tails());
            assertEquals(1, chat.posts(ALERTS, "Failing: backend healthcheck").size(), "the backend's alert was not posted again");
            assertEquals(List.of(), commands.unanswered(ANSWER), "every command was answered while " + leader + " was dead");
            assertEquals(List.of(survivor), discordHistory(), "Discord is answered by the survivor alone");
        } finally {
            health("backend", "/www/health", true);
            health("web", "/www/index.html", true);
        }
    }

    @Test
    @Order(9)
    void theAuditTrailIsOneVerifiableChainAndNoRunNumberWasUsedTwiceAfterAllOfThat() throws Exception {
        AuditVerify verify = replicas.verifyAudit();

        assertEquals(0, verify.exitCode(), verify.output());
        assertTrue(verify.output().contains("audit trail intact"), verify.output());
        Map<String, Set<String>> runs = new TreeMap<>();
        for (FakeSlack.Call c : replicas.slack().calls()) {
            if (!OPS.equals(c.param("channel")) || c.status() != 200 || !c.method().startsWith("chat.")) continue;
            Matcher m = RUN_TITLE.matcher(c.visibleText());
            while (m.find()) runs.computeIfAbsent(m.group(2), k -> new TreeSet<>()).add(m.group(1));
        }
        assertTrue(runs.size() >= 4, "the runs of the tests above: " + runs);
        runs.forEach((number, invocations) -> assertEquals(1, invocations.size(), "run #" + number + " is " + invocations));
    }

    // ------------------------------------------------------------ helpers

    /** {@code /ops history} on Discord: the replicas that posted the answer, once the first came and a moment passed. */
    private List<String> discordHistory() throws InterruptedException {
        FakeDiscord discord = replicas.discord();
        Instant sent = Instant.now();
        Predicate<FakeDiscord.Request> history = r -> r.method().equals("POST") && r.title().contains("History of demo")
                && !r.at().isBefore(sent);
        discord.slashCommand(FakeDiscord.deployer(), "history", Map.of());
        discord.awaitRequest(history, ANSWER, "the history on Discord");
        Thread.sleep(NO_SECOND.toMillis() / 2);
        return discord.requests().stream().filter(history).map(FakeDiscord.Request::replica).toList();
    }

    /** target/replica-logs/ReplicasTest, emptied: the replicas' logs of this run, kept for reading after a failure. */
    private static Path logs() throws IOException {
        Path logs = Path.of("target", "replica-logs", ReplicasTest.class.getSimpleName()).toAbsolutePath();
        if (Files.isDirectory(logs)) {
            try (Stream<Path> old = Files.list(logs)) {
                for (Path p : old.toList()) Files.delete(p);
            }
        }
        return Files.createDirectories(logs);
    }

    private void awaitAnswer(SlackChat.Typed typed) throws InterruptedException {
        long deadline = System.nanoTime() + ANSWER.toNanos();
        while (!chat.answered(typed)) {
            if (System.nanoTime() > deadline) throw new AssertionError("no answer to " + typed + replicas.tails());
            Thread.sleep(20);
        }
    }

    /** The run numbers any message in the channel gave runs of {@code runbook}. */
    private Set<String> runNumbers(String runbook) {
        Set<String> numbers = new TreeSet<>();
        for (FakeSlack.Call c : chat.shown(OPS, runbook + " ")) {
            Matcher m = RUN_NUMBER.matcher(c.visibleText() + " " + c.param("text"));
            while (m.find()) numbers.add(m.group(1));
        }
        return numbers;
    }

    private void assertRunning(String tag) {
        Map<String, ServiceContainer> running = replicas.stack().services();
        for (String service : List.of("backend", "worker")) {
            assertTrue(running.get(service).image().endsWith(":" + tag), service + " runs " + running.get(service).image());
        }
    }

    /** Switches a service's healthcheck target on or off, as HealthAlertsTest does: the file it fetches is moved away. */
    private void health(String service, String file, boolean on) {
        List<String> command = on ? List.of("mv", file + ".off", file) : List.of("mv", file, file + ".off");
        StringBuilder out = new StringBuilder();
        int code = replicas.stack().docker().exec(replicas.stack().project(), service, command, out::append, Duration.ofSeconds(10));
        assertEquals(0, code, "switching " + service + "'s health " + (on ? "on" : "off") + ": " + out);
    }
}
