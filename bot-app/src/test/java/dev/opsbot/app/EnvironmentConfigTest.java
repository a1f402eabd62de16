package dev.opsbot.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.runbook.Approval;
import dev.opsbot.core.runbook.Runbook;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The environments: section: what it accepts, and the clear refusals of what it does not. */
class EnvironmentConfigTest {
    @TempDir
    Path dir;

    private AppConfig load(String yaml) throws Exception {
        return OpsbotYml.load(dir, yaml, Map.of());
    }

    private String refusal(String yaml) {
        return assertThrows(AppConfig.ConfigException.class, () -> load(yaml)).getMessage();
    }

    @Test
    void environmentsGetTheirEndpointTlsStackChannelsAndRules() throws Exception {
        AppConfig c = load("""
                default-environment: prod
                environments:
                  staging:
                    docker: {host: "tcp://10.0.0.5:2376", cert-path: certs/staging}
                    stack: {compose-file: staging/docker-compose.yml}
                    channels: ["slack:C0STAGING"]
                    approval: none
                  prod:
                    stack: {compose-file: prod/docker-compose.yml, project: shop, name: shop-prod}
                    approval: {approvers: 2, expires: 30m}
                """);
        assertEquals("prod", c.defaultEnvironment());
        EnvironmentConfig staging = c.environments().get(0);
        assertEquals("tcp://10.0.0.5:2376", staging.dockerHost());
        assertTrue(staging.tlsVerify(), "a cert-path turns verification on");
        assertEquals(dir.resolve("certs/staging"), staging.certPath());
        assertEquals("staging", staging.stackName());
        assertEquals(List.of("slack:C0STAGING"), staging.channels());
        assertTrue(staging.rules().dropApprovals());

        EnvironmentConfig prod = c.environments().get(1);
        assertEquals("unix:///var/run/docker.sock", prod.dockerHost());
        assertFalse(prod.tlsVerify());
        assertEquals("shop-prod", prod.stackName());
        assertEquals("shop", prod.project());
        assertEquals(dir.resolve("data/environments/prod"), prod.dataDir(dir.resolve("data")));

        Runbook deploy = new Runbook("deploy", "", "", true, Duration.ofMinutes(1), List.of(), List.of(), false, null, List.of(), null, null);
        Approval needed = prod.rules().apply(deploy).approval();
        assertEquals(2, needed.approvers());
        assertEquals("approver", needed.role());
        assertEquals(Duration.ofMinutes(30), needed.expires());
        Runbook declared = deploy.withApproval(new Approval(1, "admin", false, null));
        assertNull(staging.rules().apply(declared).approval(), "staging drops the runbook's approval");
        assertEquals("admin", prod.rules().apply(declared).approval().role(), "a runbook's own approval stands");
    }

    @Test
    void aSwarmTargetNamesItsStack() throws Exception {
        AppConfig c = load("""
                environments:
                  swarm-prod:
                    target: swarm
                    stack: {compose-file: stack.yml, project: shop}
                """);
        assertTrue(c.environments().get(0).swarm());
        assertEquals("shop", c.environments().get(0).project());
        assertTrue(refusal("environments: {p: {target: swarm, stack: {compose-file: s.yml}}}").contains("project is the swarm stack's name"));
        assertTrue(refusal("environments: {p: {target: kubernetes, stack: {compose-file: s.yml}}}")
                .contains("environments.p.target: compose (a compose project, the default) or swarm"));
    }

    @Test
    void mistakesAreRefusedWithWhereAndWhy() {
        assertTrue(refusal("environments: {Prod: {stack: {compose-file: a.yml}}}").contains("environments.Prod: a name is lower-case"));
        assertTrue(refusal("environments: {prod: {stack: {compose-file: a.yml}, dokcer: {}}}").contains("environments.prod: unknown setting 'dokcer'"));
        assertTrue(refusal("environments: {prod: {docker: {tls-verify: true}, stack: {compose-file: a.yml}}}")
                .contains("tls-verify needs cert-path"));
        assertTrue(refusal("environments: {prod: {channels: [x]}}").contains("environments.prod: stack: {compose-file: …} is missing"));
        assertTrue(refusal("default-environment: qa\nenvironments: {prod: {stack: {compose-file: a.yml}}}")
                .contains("default-environment: 'qa' is not one of the environments [prod]"));
        assertTrue(refusal("environments: {prod: {stack: {compose-file: a.yml}, approval: {approverz: 2}}}")
                .contains("environments.prod.approval: unknown setting 'approverz'"));
    }
}
