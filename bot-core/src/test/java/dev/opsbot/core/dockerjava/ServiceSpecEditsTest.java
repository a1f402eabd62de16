package dev.opsbot.core.dockerjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opsbot.core.swarm.UpdatePolicy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The spec edits behind deploy and jobs keep what they do not mean to change, fields docker-java does not know included. */
class ServiceSpecEditsTest {
    private static final String SPEC = """
            {"Name": "shop_backend",
             "Labels": {"com.docker.stack.namespace": "shop", "com.docker.stack.image": "reg/backend:v1", "team": "core"},
             "TaskTemplate": {
               "ContainerSpec": {"Image": "reg/backend:v1@sha256:aaa", "Env": ["APP_ENV=prod"], "Init": true,
                 "Labels": {"com.docker.stack.namespace": "shop"},
                 "Mounts": [{"Type": "volume", "Source": "shop_dbdata", "Target": "/data"}],
                 "Healthcheck": {"Test": ["CMD", "wget", "-qO-", "http://localhost:8000/health"]},
                 "Sysctls": {"net.core.somaxconn": "1024"}, "CapabilityAdd": ["NET_ADMIN"]},
               "Networks": [{"Target": "net1", "Aliases": ["backend"]}],
               "Placement": {"Constraints": ["node.role==worker"], "MaxReplicas": 2},
               "RestartPolicy": {"Condition": "any"}, "ForceUpdate": 3},
             "Mode": {"Replicated": {"Replicas": 2}},
             "UpdateConfig": {"Parallelism": 2, "FailureAction": "pause", "Order": "start-first"},
             "EndpointSpec": {"Mode": "vip", "Ports": [{"TargetPort": 8000, "PublishedPort": 8000}]}}
            """;
    private final ObjectMapper json = new ObjectMapper();

    private JsonNode spec() throws Exception {
        return json.readTree(SPEC);
    }

    @Test
    void aDeployChangesTheImageAndTheStackLabelAndNothingElse() throws Exception {
        JsonNode edited = ImageUpdate.apply(spec(), "reg/backend:v2@sha256:bbb", "reg/backend:v2", Optional.empty());
        assertEquals("reg/backend:v2@sha256:bbb", edited.at("/TaskTemplate/ContainerSpec/Image").asText());
        assertEquals("reg/backend:v2", edited.at("/Labels/com.docker.stack.image").asText());
        ObjectNode back = edited.deepCopy();
        ((ObjectNode) back.at("/TaskTemplate/ContainerSpec")).put("Image", "reg/backend:v1@sha256:aaa");
        ((ObjectNode) back.at("/Labels")).put("com.docker.stack.image", "reg/backend:v1");
        assertEquals(spec(), back, "everything else, Sysctls and CapabilityAdd included, is as it was");
    }

    @Test
    void aPolicySetsTheUpdateAndRollbackConfigKeepingTheStacksOrder() throws Exception {
        UpdatePolicy policy = new UpdatePolicy(1, Duration.ofMillis(1500), UpdatePolicy.FailureAction.ROLLBACK, Duration.ofSeconds(3));
        JsonNode edited = ImageUpdate.apply(spec(), "reg/backend:v2", "reg/backend:v2", Optional.of(policy));
        assertEquals("{\"Parallelism\":1,\"Delay\":1500000000,\"FailureAction\":\"rollback\",\"Monitor\":3000000000,"
                + "\"MaxFailureRatio\":0,\"Order\":\"start-first\"}", edited.path("UpdateConfig").toString());
        assertEquals("pause", edited.at("/RollbackConfig/FailureAction").asText(), "a failing rollback stops");
        assertEquals(3_000_000_000L, edited.at("/RollbackConfig/Monitor").asLong());
    }

    @Test
    void aServiceWithoutTheStackImageLabelDoesNotGetOne() throws Exception {
        JsonNode spec = spec();
        ((ObjectNode) spec.path("Labels")).remove("com.docker.stack.image");
        JsonNode edited = ImageUpdate.apply(spec, "reg/backend:v2", "reg/backend:v2", Optional.empty());
        assertFalse(edited.path("Labels").has("com.docker.stack.image"));
    }

    @Test
    void aJobBorrowsTheServicesImageEnvironmentMountsAndNetworksAndRunsOnce() throws Exception {
        JsonNode job = JobSpec.from("shop", "backend", "shop_backend-job-1234abcd", spec(), null, List.of("alembic", "upgrade", "head"));
        assertEquals("shop_backend-job-1234abcd", job.path("Name").asText());
        assertEquals(json.readTree("{\"ReplicatedJob\": {\"MaxConcurrent\": 1, \"TotalCompletions\": 1}}"), job.path("Mode"));
        JsonNode container = job.at("/TaskTemplate/ContainerSpec");
        assertEquals("reg/backend:v1@sha256:aaa", container.path("Image").asText());
        assertEquals(json.readTree("[\"alembic\", \"upgrade\", \"head\"]"), container.path("Args"));
        assertEquals(spec().at("/TaskTemplate/ContainerSpec/Env"), container.path("Env"));
        assertEquals(spec().at("/TaskTemplate/ContainerSpec/Mounts"), container.path("Mounts"));
        assertEquals(spec().at("/TaskTemplate/Networks"), job.at("/TaskTemplate/Networks"));
        assertEquals(spec().at("/TaskTemplate/Placement"), job.at("/TaskTemplate/Placement"));
        // Labelled like stack deploy (docker stack ps lists it) and as the bot's.
        assertEquals("shop", job.at("/Labels/com.docker.stack.namespace").asText());
        assertEquals("reg/backend:v1", job.at("/Labels/com.docker.stack.image").asText());
        assertEquals("backend", job.at("/Labels/dev.opsbot.job-of").asText());
        assertEquals("shop", container.at("/Labels/com.docker.stack.namespace").asText());
        assertEquals("opsbot", container.at("/Labels/dev.opsbot.managed-by").asText());
        assertFalse(job.path("Labels").has("team"), "the service's own labels describe the service, not the job");
        // Once: no restart, no healthcheck of the web server it does not start, no ports, no update policy.
        assertEquals("none", job.at("/TaskTemplate/RestartPolicy/Condition").asText());
        assertEquals(json.readTree("[\"NONE\"]"), container.at("/Healthcheck/Test"));
        assertTrue(job.path("EndpointSpec").isMissingNode());
        assertTrue(job.path("UpdateConfig").isMissingNode());
        assertTrue(job.at("/TaskTemplate/ForceUpdate").isMissingNode());
    }
}
