package dev.opsbot.core.dockerjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.UpdateConfig;
import com.github.dockerjava.api.model.UpdateFailureAction;
import dev.opsbot.core.docker.DockerException;
import dev.opsbot.core.swarm.DeployResult;
import dev.opsbot.core.swarm.ServiceHealth;
import dev.opsbot.core.swarm.StackLabels;
import dev.opsbot.core.swarm.SwarmHost;
import dev.opsbot.core.swarm.SwarmListener;
import dev.opsbot.core.swarm.SwarmProgress;
import dev.opsbot.core.swarm.SwarmService;
import dev.opsbot.core.swarm.SwarmTask;
import dev.opsbot.core.swarm.UpdateOutcome;
import dev.opsbot.core.swarm.UpdatePolicy;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.LocalRegistry;
import dev.opsbot.core.testing.SwarmNode;
import dev.opsbot.core.testing.SwarmStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The swarm layer on a real single-node swarm with the demo images from the local registry:
 * rolling updates that converge, the update policy rolling back a broken build, rollbacks, jobs.
 * Each test has a stack of its own; the swarm is initialised for the class only when the engine
 * was in none.
 */
@Timeout(120)
class DockerJavaSwarmTest {
    private static final Duration T = Duration.ofSeconds(60);
    /** A quick policy for tests: one task at a time, half a second apart, rolled back when one fails within 3 s. */
    private static final UpdatePolicy QUICK = new UpdatePolicy(1, Duration.ofMillis(500), UpdatePolicy.FailureAction.ROLLBACK, Duration.ofSeconds(3));

    private static DockerEngine engine;
    private static DockerClient client;
    private static SwarmNode node;
    private static final List<SwarmStack> stacks = new ArrayList<>();
    private SwarmStack stack;
    private SwarmHost swarm;

    @BeforeAll
    static void swarmMode() throws Exception {
        engine = DockerSupport.connect();
        client = DockerSupport.client();
        LocalRegistry.require();
        DemoStack.ensureImages(engine.host());
        node = SwarmNode.ensure(client);
    }

    @AfterAll
    static void leave() throws Exception {
        try {
            for (SwarmStack s : stacks) s.close();
        } finally {
            if (node != null) node.close();
            if (client != null) client.close();
            if (engine != null) engine.close();
        }
    }

    @BeforeEach
    void ownStack() {
        stack = new SwarmStack(client);
        stacks.add(stack);
        swarm = engine.swarm();
    }

    @AfterEach
    void removeServices() {
        // The containers go while the next test runs; networks and volumes are removed at the end.
        stack.removeServices();
    }

    /** What the live message would show, and what was reported, in order. */
    private static final class Recorder implements SwarmListener {
        final List<SwarmTask> tasks = Collections.synchronizedList(new ArrayList<>());
        final List<String> statuses = Collections.synchronizedList(new ArrayList<>());
        final List<UpdateOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        final StringBuilder channel = new StringBuilder();
        private final SwarmProgress progress = new SwarmProgress(text -> {
            synchronized (channel) {
                channel.append(text);
            }
        });

        @Override
        public void task(SwarmTask task) {
            tasks.add(task);
            progress.task(task);
        }

        @Override
        public void status(String service, String state, String message) {
            statuses.add(state + ": " + message);
            progress.status(service, state, message);
        }

        @Override
        public void outcome(UpdateOutcome outcome) {
            outcomes.add(outcome);
            progress.outcome(outcome);
        }

        Set<Integer> slotsReaching(String tag, String state) {
            return tasks.stream().filter(t -> t.tag().equals(tag) && t.state().equals(state))
                    .map(SwarmTask::slot).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void aNewTagRollsOutToBothReplicasAndConverges() throws Exception {
        stack.backend(2, DemoStack.GOOD, null);
        stack.awaitRunning("backend", 2, DemoStack.GOOD, T);
        Recorder live = new Recorder();

        DeployResult result = swarm.deploy(stack.name(), Map.of("backend", SwarmStack.image("backend", DemoStack.NEWER)), QUICK, live, T);

        UpdateOutcome backend = result.outcome("backend");
        assertEquals(UpdateOutcome.Result.CONVERGED, backend.result(), live.channel.toString());
        assertEquals(SwarmStack.image("backend", DemoStack.NEWER), backend.image());
        // The live message followed the rolling update: a new task per slot came up, the old ones went.
        assertEquals(Set.of(1, 2), live.slotsReaching(DemoStack.NEWER, "running"), live.channel.toString());
        assertEquals(Set.of(1, 2), live.slotsReaching(DemoStack.GOOD, "shutdown"), live.channel.toString());
        assertTrue(live.channel.toString().contains("backend: converged on " + SwarmStack.image("backend", DemoStack.NEWER)),
                live.channel.toString());

        SwarmService service = swarm.services(stack.name()).get(0);
        assertEquals("backend", service.name());
        assertEquals(stack.name() + "_backend", service.fullName());
        assertEquals(SwarmStack.image("backend", DemoStack.NEWER), service.image());
        assertEquals("completed", service.updateState());
        assertEquals(2, service.desired());

        ServiceHealth health = swarm.health(stack.name()).get(0);
        assertEquals(2, health.tasks().size(), health.toString());
        assertTrue(health.tasks().stream().allMatch(t -> t.tag().equals(DemoStack.NEWER) && t.state().equals("running")
                && t.health().equals("healthy")), health.toString());
        assertTrue(health.healthy(), health.toString());

        // Docker agrees, and `docker stack deploy` would see the image its label names.
        var spec = stack.inspect("backend").getSpec();
        assertTrue(spec.getTaskTemplate().getContainerSpec().getImage()
                .startsWith(SwarmStack.image("backend", DemoStack.NEWER) + "@sha256:"), "pinned to the registry's digest");
        assertEquals(SwarmStack.image("backend", DemoStack.NEWER), spec.getLabels().get(StackLabels.IMAGE));
        assertEquals(1L, spec.getUpdateConfig().getParallelism());
        assertEquals(UpdateFailureAction.ROLLBACK, spec.getUpdateConfig().getFailureAction());

        // Deploying the same build again changes nothing and says so.
        UpdateOutcome again = swarm.deploy(stack.name(), Map.of("backend", SwarmStack.image("backend", DemoStack.NEWER)), QUICK,
                SwarmListener.NONE, T).outcome("backend");
        assertEquals(UpdateOutcome.Result.CONVERGED, again.result());
        assertEquals("already on " + SwarmStack.image("backend", DemoStack.NEWER), again.reason());
        assertEquals(spec.getTaskTemplate().getContainerSpec().getImage(), stack.inspect("backend").getSpec().getTaskTemplate()
                .getContainerSpec().getImage());
    }

    @Test
    void aBrokenTagIsRolledBackByTheStacksUpdatePolicyAndTheChannelSaysWhy() throws Exception {
        // deploy.update_config as a stack file would set it: failure_action rollback, monitor 3s.
        stack.backend(2, DemoStack.GOOD, new UpdateConfig().withParallelism(1L).withDelay(500_000_000L)
                .withFailureAction(UpdateFailureAction.ROLLBACK).withMonitor(3_000_000_000L).withMaxFailureRatio(0f));
        stack.awaitRunning("backend", 2, DemoStack.GOOD, T);
        Recorder live = new Recorder();

        DeployResult result = swarm.deploy(stack.name(), Map.of("backend", SwarmStack.image("backend", DemoStack.BROKEN)), live, T);

        UpdateOutcome backend = result.outcome("backend");
        String channel = live.channel.toString();
        assertEquals(UpdateOutcome.Result.ROLLED_BACK, backend.result(), channel);
        assertEquals(SwarmStack.image("backend", DemoStack.GOOD), backend.image());
        // Docker's words when the poll catches the turn; the failed task's error in any case.
        assertTrue(backend.reason().startsWith("update rolled back"), backend.reason());
        assertTrue(backend.reason().contains("sha-badc0de) failed: task: non-zero exit")
                && backend.reason().contains("unhealthy container"), "the failing health check is named: " + backend.reason());
        assertTrue(live.tasks.stream().anyMatch(t -> t.tag().equals(DemoStack.BROKEN) && t.state().equals("failed")
                && t.error().contains("unhealthy")), channel);
        assertTrue(live.statuses.stream().anyMatch(s -> s.startsWith("updating")), live.statuses.toString());
        assertTrue(channel.contains("backend: rolled back to " + SwarmStack.image("backend", DemoStack.GOOD) + " — update rolled back"),
                channel);

        stack.awaitRunning("backend", 2, DemoStack.GOOD, T);
        SwarmService service = swarm.services(stack.name()).get(0);
        assertEquals(SwarmStack.image("backend", DemoStack.GOOD), service.image());
        assertEquals("rollback_completed", service.updateState());
    }

    @Test
    void rollbackGoesToAGivenTagOrToTheEnginesPreviousSpec() throws Exception {
        stack.backend(1, DemoStack.NEWER, null);
        stack.awaitRunning("backend", 1, DemoStack.NEWER, T);
        DockerException never = assertThrows(DockerException.class, () -> swarm.rollback(stack.name(), "backend", SwarmListener.NONE, T));
        assertTrue(never.getMessage().startsWith("backend has no previous version to roll back to"), never.getMessage());

        Recorder toTag = new Recorder();
        UpdateOutcome back = swarm.rollbackTo(stack.name(), "backend", DemoStack.GOOD, QUICK, toTag, T);
        assertEquals(UpdateOutcome.Result.CONVERGED, back.result(), toTag.channel.toString());
        assertEquals(SwarmStack.image("backend", DemoStack.GOOD), swarm.services(stack.name()).get(0).image());
        assertEquals(Set.of(1), toTag.slotsReaching(DemoStack.GOOD, "running"), toTag.channel.toString());
        assertEquals(Set.of(1), toTag.slotsReaching(DemoStack.NEWER, "shutdown"), toTag.channel.toString());

        // The engine's rollback swaps in the spec before the last update: the newer tag again.
        Recorder previous = new Recorder();
        UpdateOutcome engine = swarm.rollback(stack.name(), "backend", previous, T);
        assertEquals(UpdateOutcome.Result.CONVERGED, engine.result(), previous.channel.toString());
        assertEquals(SwarmStack.image("backend", DemoStack.NEWER), engine.image());
        assertTrue(previous.statuses.stream().anyMatch(s -> s.startsWith("rollback_")), previous.statuses.toString());
        assertEquals(Set.of(1), previous.slotsReaching(DemoStack.NEWER, "running"), previous.channel.toString());
        assertEquals(SwarmStack.image("backend", DemoStack.NEWER), swarm.services(stack.name()).get(0).image());
        assertEquals("rollback_completed", swarm.services(stack.name()).get(0).updateState());
    }

    @Test
    void aMigrationJobRunsOnceOnTheServicesVolumeStreamsItsOutputAndIsGone() throws Exception {
        stack.backend(1, DemoStack.NEWER, null);
        StringBuilder out = new StringBuilder();

        int code = swarm.runJob(stack.name(), "backend", List.of("alembic", "upgrade", "head"), out::append, T);

        assertEquals(0, code, out.toString());
        assertEquals(1, count(out.toString(), "Running upgrade <base> -> 1"), out.toString());
        assertEquals(1, count(out.toString(), "Running upgrade 1 -> 2"), out.toString());
        assertEquals(List.of(stack.name() + "_backend"), stack.serviceNames(), "the job service is gone");
        assertEquals(List.of(), stack.botContainers(), "and its container");

        // The job wrote to the stack's volume, as the service sees it.
        StringBuilder current = new StringBuilder();
        assertEquals(0, swarm.runJob(stack.name(), "backend", List.of("alembic", "current"), current::append, T), current.toString());
        assertTrue(current.toString().contains("2 (head)"), current.toString());

        StringBuilder failed = new StringBuilder();
        int bad = swarm.runJob(stack.name(), "backend", List.of("alembic", "downgrade", "nonsense"), failed::append, T);
        assertNotEquals(0, bad, "a failing migration reports its exit code");
        assertTrue(failed.toString().contains("Can't locate revision"), failed.toString());
        assertEquals(1, count(failed.toString(), "Can't locate revision"), "not retried: " + failed);
        assertEquals(List.of(stack.name() + "_backend"), stack.serviceNames(), "the failed job service is gone too");
        assertEquals(List.of(), stack.botContainers(), "and its container");
    }

    @Test
    void anUnknownServiceOrTagIsAClearFailureAndTouchesNothing() {
        stack.backend(1, DemoStack.GOOD, null);
        DockerException typo = assertThrows(DockerException.class, () -> swarm.deploy(stack.name(),
                Map.of("backend", SwarmStack.image("backend", DemoStack.NEWER), "bakend", SwarmStack.image("backend", DemoStack.NEWER)),
                QUICK, SwarmListener.NONE, T));
        assertEquals("stack " + stack.name() + " has no service bakend (it has backend)", typo.getMessage());
        DockerException missing = assertThrows(DockerException.class, () -> swarm.deploy(stack.name(),
                Map.of("backend", SwarmStack.image("backend", "sha-0000000")), QUICK, SwarmListener.NONE, T));
        assertTrue(missing.getMessage().startsWith("cannot deploy " + SwarmStack.image("backend", "sha-0000000")
                + " to backend: the registry does not have it"), missing.getMessage());
        assertEquals(SwarmStack.image("backend", DemoStack.GOOD), swarm.services(stack.name()).get(0).image(), "nothing was updated");
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) n++;
        return n;
    }
}
