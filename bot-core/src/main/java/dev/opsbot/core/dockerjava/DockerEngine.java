package dev.opsbot.core.dockerjava;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.health.ContainerWatch;
import dev.opsbot.core.swarm.SwarmHost;
import java.io.IOException;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One connection to one Docker engine, and the ports the core uses it through: the compose
 * {@link #host()}, the {@link #swarm()} (when the engine is a swarm manager) and the
 * {@link #watch()} of the health monitor. Closing it closes the connection they share.
 * Connecting does not reach the engine yet; the first call does, and says so if it cannot.
 */
public final class DockerEngine implements AutoCloseable {
    private final DockerClient docker;
    private final String endpoint;
    private final DockerJavaHost host;
    private final DockerJavaSwarm swarm;
    private final DockerJavaWatch watch;

    private DockerEngine(DockerClient docker, DockerHttpClient http, String endpoint, LongSupplier nanoTime) {
        this.docker = docker;
        this.endpoint = endpoint;
        EngineFailures failures = new EngineFailures(endpoint);
        EngineCalls calls = new EngineCalls(failures);
        ProjectContainers containers = new ProjectContainers(docker, calls);
        this.host = new DockerJavaHost(docker, endpoint, calls, containers, new RecentListings(nanoTime));
        this.swarm = new DockerJavaSwarm(docker, calls, new EngineApi(http, failures));
        this.watch = new DockerJavaWatch(docker, calls, containers);
    }

    /**
     * Connects to {@code endpoint} ({@code unix:///var/run/docker.sock}, {@code tcp://host:2376}); null
     * means DOCKER_HOST or the local socket. The API version is negotiated, so Engine 20.10 (API 1.41)
     * and current engines both work.
     */
    public static DockerEngine connect(String endpoint) {
        return connect(endpoint, System::nanoTime);
    }

    /** As {@link #connect(String)}, with the clock recent listings are dated by. */
    static DockerEngine connect(String endpoint, LongSupplier nanoTime) {
        DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder();
        if (endpoint != null && !endpoint.isBlank()) builder.withDockerHost(endpoint);
        return connect(builder.build(), nanoTime);
    }

    /**
     * Connects to one environment's engine with its own TLS settings, as {@code DOCKER_TLS_VERIFY}
     * and {@code DOCKER_CERT_PATH} would give them ({@code ca.pem}, {@code cert.pem}, {@code key.pem}
     * in the folder), whatever this process's own variables say.
     */
    public static DockerEngine connect(String endpoint, boolean tlsVerify, String certPath) {
        return connect(DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(endpoint).withDockerTlsVerify(tlsVerify).withDockerCertPath(certPath).build(), System::nanoTime);
    }

    private static DockerEngine connect(DockerClientConfig config, LongSupplier nanoTime) {
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
        return new DockerEngine(DockerClientImpl.getInstance(config, http), http, config.getDockerHost().toString(), nanoTime);
    }

    /** Compose-project operations on this engine. */
    public DockerHost host() {
        return host;
    }

    /** The swarm this engine manages; its calls fail with a message saying so when it is not a swarm manager. */
    public SwarmHost swarm() {
        return swarm;
    }

    /** Container events and state, for the health monitor. */
    public ContainerWatch watch() {
        return watch;
    }

    /** Where the engine is reached, as configured: {@code unix:///var/run/docker.sock}, {@code tcp://10.0.4.7:2376}. */
    public String endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        host.close();
        try {
            docker.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
