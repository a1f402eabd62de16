package dev.opsbot.core.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.opsbot.core.docker.DockerException;
import dev.opsbot.core.dockerjava.DockerEngine;

/**
 * Connects tests to the local Docker engine. Where none is reachable the test is skipped with
 * a message saying so, unless OPSBOT_REQUIRE_DOCKER=1 (CI), where it fails instead.
 */
public final class DockerSupport {
    private DockerSupport() {
    }

    public static DockerEngine connect() {
        DockerEngine engine = DockerEngine.connect(System.getenv("DOCKER_HOST"));
        try {
            engine.host().ping();
            return engine;
        } catch (DockerException e) {
            engine.close();
            String message = "this test needs a Docker engine and none is reachable (" + e.getMessage()
                    + "); start dockerd, or run .ci/run";
            MissingRequirement.skipOrFail(message);
            throw e;
        }
    }

    /**
     * A docker-java client of the local engine, for fixtures that make what the bot itself never
     * does (a swarm, its services, a container stopped behind the bot's back). Call
     * {@link #connect()} first, which skips the test where there is no engine.
     */
    public static DockerClient client() {
        return client(DefaultDockerClientConfig.createDefaultConfigBuilder().build());
    }

    /** The same for a plain engine at {@code endpoint} (no TLS), such as a {@link SecondEngine}. */
    public static DockerClient client(String endpoint) {
        return client(DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(endpoint).withDockerTlsVerify(false).build());
    }

    private static DockerClient client(DockerClientConfig config) {
        return DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).sslConfig(config.getSSLConfig()).build());
    }
}
