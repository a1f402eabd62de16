package dev.opsbot.core.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.SwarmNodeState;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.LocalRegistry;
import dev.opsbot.core.testing.SecondEngine;
import dev.opsbot.core.testing.SwarmNode;
import dev.opsbot.core.testing.SwarmStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The swarm layer on a real two-node swarm: the local engine as manager, a second engine
 * ({@link SecondEngine}) joined as a worker. A 2-replica service has a task on each node, and a
 * new tag rolls out to both and converges; the worker pulls the images from the local registry
 * itself. The swarm is initialised for the class (the test is skipped when the local engine is
 * in one already) and left again afterwards.
 */
@Timeout(90)
class TwoNodeSwarmTest {
    private static final Duration T = Duration.ofSeconds(60);
    private static final UpdatePolicy QUICK = new UpdatePolicy(1, Duration.ofMillis(500), UpdatePolicy.FailureAction.ROLLBACK, Duration.ofSeconds(3));

    private static DockerEngine engine;
    private static DockerClient manager;
    private static SecondEngine second;
    private static DockerClient worker;
    private static SwarmNode node;
    private static String workerId;
    private static SwarmStack stack;

    @BeforeAll
    static void twoNodes() throws Exception {
        engine = DockerSupport.connect();
        manager = DockerSupport.client();
        LocalRegistry.require();
        DemoStack.ensureImages(engine.host());
        second = SecondEngine.start();
        System.out.println("second engine at " + second.endpoint() + " answered after " + second.startup().toMillis() + " ms");
        worker = second.client();
        node = SwarmNode.ensure(manager, second.hostAddress());
        worker.joinSwarmCmd().withRemoteAddrs(List.of(second.hostAddress() + ":2377")).withJoinToken(node.workerToken())
                .withListenAddr(second.address() + ":2377").withAdvertiseAddr(second.address()).exec();
        workerId = worker.infoCmd().exec().getSwarm().getNodeID();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!ready(manager, workerId)) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("the second engine did not become a ready worker: " + manager.listSwarmNodesCmd().exec());
            Thread.sleep(200);
        }
    }

    private static boolean ready(DockerClient manager, String id) {
        return manager.listSwarmNodesCmd().exec().stream()
                .anyMatch(n -> n.getId().equals(id) && n.getStatus() != null && n.getStatus().getState() == SwarmNodeState.READY);
    }

    @AfterAll
    static void leave() throws Exception {
        try {
            if (stack != null) stack.close();
        } finally {
            try {
                if (worker != null && workerId != null) {
                    worker.leaveSwarmCmd().withForceEnabled(true).exec();
                    worker.close();
                    manager.removeSwarmNodeCmd(workerId).withForce(true).exec();
                }
            } finally {
                try {
                    if (node != null) node.close();
                    if (stack != null) stack.removeVolumes();
                } finally {
                    try {
                        if (second != null) second.close();
                    } finally {
                        if (manager != null) manager.close();
                        if (engine != null) engine.close();
                    }
                }
            }
        }
    }

    /** Node id of each running task of the stack's backend, by slot. */
    private static Map<Integer, String> runningNodes(String tag) {
        return manager.listTasksCmd().withServiceFilter(stack.name() + "_backend").exec().stream()
                .filter(t -> t.getDesiredState() == TaskState.RUNNING && t.getStatus().getState() == TaskState.RUNNING
                        && t.getSpec().getContainerSpec().getImage().startsWith(SwarmStack.image("backend", tag)))
                .collect(Collectors.toMap(Task::getSlot, Task::getNodeId));
    }

    @Test
    void aTwoReplicaServiceHasATaskOnEachNodeAndANewTagConvergesOnBoth() throws Exception {
        stack = new SwarmStack(manager);
        stack.backend(2, DemoStack.GOOD, null);
        stack.awaitRunning("backend", 2, DemoStack.GOOD, T);
        String managerId = manager.infoCmd().exec().getSwarm().getNodeID();
        assertEquals(Set.of(managerId, workerId), Set.copyOf(runningNodes(DemoStack.GOOD).values()), "one task on each node");

        List<SwarmTask> seen = Collections.synchronizedList(new ArrayList<>());
        StringBuilder channel = new StringBuilder();
        SwarmProgress progress = new SwarmProgress(text -> {
            synchronized (channel) {
                channel.append(text);
            }
        });
        SwarmListener live = new SwarmListener() {
            @Override
            public void task(SwarmTask task) {
                seen.add(task);
                progress.task(task);
            }

            @Override
            public void status(String service, String state, String message) {
                progress.status(service, state, message);
            }

            @Override
            public void outcome(UpdateOutcome outcome) {
                progress.outcome(outcome);
            }
        };
        DeployResult result = engine.swarm().deploy(stack.name(), Map.of("backend", SwarmStack.image("backend", DemoStack.NEWER)),
                QUICK, live, T);

        UpdateOutcome backend = result.outcome("backend");
        assertEquals(UpdateOutcome.Result.CONVERGED, backend.result(), channel.toString());
        assertEquals(SwarmStack.image("backend", DemoStack.NEWER), backend.image());
        assertTrue(channel.toString().contains("backend: converged on " + SwarmStack.image("backend", DemoStack.NEWER)), channel.toString());
        Set<Integer> newSlots = seen.stream().filter(t -> t.tag().equals(DemoStack.NEWER) && t.state().equals("running"))
                .map(SwarmTask::slot).collect(Collectors.toSet());
        assertEquals(Set.of(1, 2), newSlots, channel.toString());

        Map<Integer, String> now = runningNodes(DemoStack.NEWER);
        assertEquals(2, now.size(), now.toString());
        assertEquals(Set.of(managerId, workerId), Set.copyOf(now.values()), "the new tag runs on both nodes");
        // The worker's own engine runs a task of the new tag, from the image it pulled itself.
        assertTrue(worker.listContainersCmd().withLabelFilter(Map.of("com.docker.swarm.service.name", stack.name() + "_backend"))
                .exec().stream().anyMatch(c -> c.getImage().startsWith(SwarmStack.image("backend", DemoStack.NEWER))),
                "a container of the new tag on the second engine");
        ServiceHealth health = engine.swarm().health(stack.name()).get(0);
        assertTrue(health.healthy(), health.toString());
    }
}
