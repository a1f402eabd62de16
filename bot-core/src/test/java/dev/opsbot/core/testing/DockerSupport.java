package dev.opsbot.core.testing;

import dev.opsbot.core.docker.DockerException;
import dev.opsbot.core.docker.DockerJavaHost;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Connects tests to the local Docker engine. Where none is reachable the test is skipped with
 * a message saying so, unless OPSBOT_REQUIRE_DOCKER=1 (CI), where it fails instead.
 */
public final class DockerSupport {
    private DockerSupport() {
    }

    public static DockerJavaHost connect() {
        DockerJavaHost host = DockerJavaHost.connect(System.getenv("DOCKER_HOST"));
        try {
            host.ping();
            return host;
        } catch (DockerException e) {
            host.close();
            String message = "this test needs a Docker engine and none is reachable (" + e.getMessage()
                    + "); start dockerd, or run .ci/run";
            if ("1".equals(System.getenv("OPSBOT_REQUIRE_DOCKER"))) Assertions.fail(message);
            Assumptions.abort(message);
            throw e;
        }
    }
}
