package dev.opsbot.core.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.compose.ImageRef;
import dev.opsbot.core.compose.ServiceSpec;
import dev.opsbot.core.stream.OutputSink;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link DockerHost} on the Engine API through docker-java and its Apache httpclient5 transport. */
public final class DockerJavaHost implements DockerHost, Closeable {
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(5);
    private static final int STOP_SECONDS = 10;

    private final DockerClient docker;
    private final DockerHttpClient http;
    private final String endpoint;
    private final java.util.concurrent.ExecutorService parallel = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "opsbot-docker-up");
        t.setDaemon(true);
        return t;
    });

    private DockerJavaHost(DockerClient docker, DockerHttpClient http, String endpoint) {
        this.docker = docker;
        this.http = http;
        this.endpoint = endpoint;
    }

    /**
     * Connects to {@code dockerHost} ({@code unix:///var/run/docker.sock}, {@code tcp://host:2376}); null
     * means DOCKER_HOST or the local socket. The API version is negotiated, so Engine 20.10 (API 1.41)
     * and current engines both work.
     */
    public static DockerJavaHost connect(String dockerHost) {
        DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder();
        if (dockerHost != null && !dockerHost.isBlank()) builder.withDockerHost(dockerHost);
        return connect(builder.build());
    }

    /**
     * Connects to one environment's engine with its own TLS settings, as {@code DOCKER_TLS_VERIFY}
     * and {@code DOCKER_CERT_PATH} would give them ({@code ca.pem}, {@code cert.pem}, {@code key.pem}
     * in the folder), whatever this process's own variables say.
     */
    public static DockerJavaHost connect(String dockerHost, boolean tlsVerify, String certPath) {
        DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost).withDockerTlsVerify(tlsVerify);
        builder.withDockerCertPath(certPath);
        return connect(builder.build());
    }

    private static DockerJavaHost connect(DockerClientConfig config) {
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
        return new DockerJavaHost(DockerClientImpl.getInstance(config, http), http, config.getDockerHost().toString());
    }

    /** The docker-java client, for the parts of the core that read events and health directly. */
    public DockerClient client() {
        return docker;
    }

    /**
     * The same connection as raw HTTP, for Engine API calls docker-java has no command or model for
     * (the swarm package's service rollback and job mode). Closed with this host.
     */
    public DockerHttpClient http() {
        return http;
    }

    public String endpoint() {
        return endpoint;
    }

    @Override
    public String ping() {
        CompletableFuture<String> version = CompletableFuture.supplyAsync(() -> docker.versionCmd().exec().getVersion());
        try {
            return version.get(PING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            version.cancel(true);
            throw new DockerUnavailableException("Docker at " + endpoint + " did not answer within "
                    + PING_TIMEOUT.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            throw new DockerUnavailableException("Docker is not reachable at " + endpoint + ": "
                    + why(e.getCause()) + ". Start dockerd or set DOCKER_HOST.", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DockerException("interrupted while reaching Docker", e);
        }
    }

    @Override
    public List<ServiceContainer> ps(ComposeProject project) {
        return call("list containers", () -> docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(ComposeLabels.PROJECT, project.name())).exec())
                .stream().map(this::toServiceContainer)
                .sorted(java.util.Comparator.comparing(ServiceContainer::service).thenComparing(ServiceContainer::name))
                .toList();
    }

    private ServiceContainer toServiceContainer(Container c) {
        Map<String, String> labels = c.getLabels() == null ? Map.of() : c.getLabels();
        String name = c.getNames() != null && c.getNames().length > 0 ? c.getNames()[0].replaceFirst("^/", "") : c.getId();
        String status = c.getStatus() == null ? "" : c.getStatus();
        String health = status.contains("(healthy)") ? "healthy" : status.contains("(unhealthy)") ? "unhealthy"
                : status.contains("health: starting") ? "starting" : "";
        return new ServiceContainer(c.getId(), name, labels.getOrDefault(ComposeLabels.SERVICE, ""), c.getImage(),
                c.getState(), health, status, "True".equals(labels.get(ComposeLabels.ONEOFF)));
    }

    @Override
    public boolean imageExists(String image) {
        try {
            call("inspect image", () -> docker.inspectImageCmd(image).exec());
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public void pull(String image, OutputSink out, Duration timeout) {
        ImageRef ref = ImageRef.parse(image);
        out.line("pulling " + ref);
        Map<String, String> lastStatus = new LinkedHashMap<>();
        StringBuilder error = new StringBuilder();
        ResultCallback.Adapter<PullResponseItem> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(PullResponseItem item) {
                if (item.getErrorDetail() != null || item.getError() != null) {
                    error.append(item.getErrorDetail() != null ? item.getErrorDetail().getMessage() : item.getError());
                    return;
                }
                String status = item.getStatus();
                if (status == null) return;
                String id = item.getId() == null ? "" : item.getId();
                // Progress ticks ("Downloading 3MB/12MB") would flood the channel: report each state change once.
                if (status.equals(lastStatus.put(id, status))) return;
                out.line((id.isEmpty() ? "" : id + ": ") + status);
            }
        };
        try {
            docker.pullImageCmd(ref.repository()).withTag(ref.tag()).exec(callback);
            if (!callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                closeQuietly(callback);
                throw new DockerException("pulling " + ref + " took longer than " + human(timeout));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(callback);
            throw new DockerException("pull of " + ref + " was interrupted", e);
        } catch (DockerException e) {
            throw e;
        } catch (RuntimeException e) {
            throw translate("pull " + ref, e);
        }
        if (error.length() > 0) {
            throw new DockerException("cannot pull " + ref + ": " + error);
        }
        if (!imageExists(ref.toString())) {
            throw new DockerException("cannot pull " + ref + ": the registry did not provide it");
        }
    }

    @Override
    public UpResult up(ComposeProject project, Collection<String> services, boolean removeOrphans, OutputSink out, Duration timeout) {
        ensureNetworksAndVolumes(project, out);
        Map<String, List<Container>> existing = containersByService(project, false);
        List<String> ordered = project.startOrder(services);
        // What each service needs (images pulled where missing), all services at once.
        Map<String, Boolean> upToDate = new java.util.concurrent.ConcurrentHashMap<>();
        inParallel(ordered, service -> upToDate.put(service, upToDate(project, service, existing.getOrDefault(service, List.of()), out, timeout)));
        // The containers to replace are stopped together: a service whose dependency is being
        // replaced cannot work until that dependency is back anyway.
        List<String> replaced = ordered.stream().filter(s -> !upToDate.get(s)).toList();
        inParallel(replaced, service -> {
            for (Container old : existing.getOrDefault(service, List.of())) {
                out.line(service + ": stopping " + shortName(old));
                removeContainer(old.getId());
            }
        });
        // Then started in dependency order: the services of one level together.
        for (List<String> level : levels(project, ordered)) {
            inParallel(level, service -> {
                if (upToDate.get(service)) {
                    Container c = existing.get(service).get(0);
                    if (!"running".equals(c.getState())) {
                        out.line(service + ": starting");
                        call("start " + service, () -> docker.startContainerCmd(c.getId()).exec());
                    } else {
                        out.line(service + ": up to date");
                    }
                } else {
                    createAndStart(project, service, out);
                }
            });
        }
        List<String> recreated = new ArrayList<>();
        List<String> created = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        for (String service : ordered) {
            if (upToDate.get(service)) unchanged.add(service);
            else if (existing.getOrDefault(service, List.of()).isEmpty()) created.add(service);
            else recreated.add(service);
        }
        List<String> orphans = new ArrayList<>();
        if (removeOrphans) {
            existing.forEach((service, containers) -> {
                if (!project.services().containsKey(service)) {
                    for (Container c : containers) {
                        out.line("removing orphan " + shortName(c) + " (service " + service + " is no longer in the file)");
                        removeContainer(c.getId());
                    }
                    orphans.add(service);
                }
            });
        }
        return new UpResult(recreated, created, unchanged, orphans);
    }

    /** The services in start order, grouped: each group depends only on earlier groups. */
    static List<List<String>> levels(ComposeProject project, List<String> ordered) {
        Map<String, Integer> level = new LinkedHashMap<>();
        List<List<String>> levels = new ArrayList<>();
        for (String service : ordered) {
            int l = 0;
            for (String dep : project.require(service).dependsOn()) {
                Integer d = level.get(dep);
                if (d != null) l = Math.max(l, d + 1);
            }
            level.put(service, l);
            while (levels.size() <= l) levels.add(new ArrayList<>());
            levels.get(l).add(service);
        }
        return levels;
    }

    /** Runs {@code work} for each service on its own thread; waits for all, then throws the first failure. */
    private void inParallel(List<String> services, java.util.function.Consumer<String> work) {
        if (services.size() == 1) {
            work.accept(services.get(0));
            return;
        }
        Map<String, java.util.concurrent.Future<?>> running = new LinkedHashMap<>();
        for (String service : services) running.put(service, parallel.submit(() -> work.accept(service)));
        RuntimeException failure = null;
        for (Map.Entry<String, java.util.concurrent.Future<?>> f : running.entrySet()) {
            try {
                f.getValue().get();
            } catch (InterruptedException e) {
                running.values().forEach(x -> x.cancel(true));
                Thread.currentThread().interrupt();
                throw new DockerException("interrupted while bringing " + f.getKey() + " up", e);
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r
                            : new DockerException(f.getKey() + ": " + e.getCause(), e.getCause());
                }
            }
        }
        if (failure != null) throw failure;
    }

    /** Whether the service's one container already runs this configuration and image (the image pulled if missing). */
    private boolean upToDate(ComposeProject project, String service, List<Container> current, OutputSink out, Duration timeout) {
        ServiceSpec spec = project.require(service);
        String hash = ContainerSpecs.configHash(spec);
        if (!imageExists(spec.image())) pull(spec.image(), out, timeout);
        String imageId = call("inspect image", () -> docker.inspectImageCmd(spec.image()).exec().getId());
        return current.size() == 1
                && hash.equals(current.get(0).getLabels().get(ComposeLabels.CONFIG_HASH))
                && imageId.equals(current.get(0).getImageId());
    }

    private void createAndStart(ComposeProject project, String service, OutputSink out) {
        ServiceSpec spec = project.require(service);
        String name = project.name() + "-" + service + "-1";
        out.line(service + ": creating " + name + " from " + spec.image());
        String id = call("create " + service,
                () -> ContainerSpecs.create(docker, project, spec, name, false, null).exec().getId());
        connectExtraNetworks(spec, id);
        try {
            call("start " + service, () -> docker.startContainerCmd(id).exec());
        } catch (DockerException e) {
            throw new DockerException(service + " will not start: " + e.getMessage(), e);
        }
        out.line(service + ": started");
    }

    private void connectExtraNetworks(ServiceSpec spec, String containerId) {
        for (String network : spec.networks().subList(1, spec.networks().size())) {
            call("connect network " + network, () -> docker.connectToNetworkCmd().withNetworkId(network)
                    .withContainerId(containerId)
                    .withContainerNetwork(new com.github.dockerjava.api.model.ContainerNetwork()
                            .withAliases(spec.name()))
                    .exec());
        }
    }

    private void ensureNetworksAndVolumes(ComposeProject project, OutputSink out) {
        Set<String> wanted = new HashSet<>();
        project.services().values().forEach(s -> wanted.addAll(s.networks()));
        for (Map.Entry<String, String> n : project.networks().entrySet()) {
            if (!wanted.contains(n.getValue())) continue;
            List<Network> found = call("list networks", () -> docker.listNetworksCmd().withNameFilter(n.getValue()).exec());
            if (found.stream().noneMatch(f -> n.getValue().equals(f.getName()))) {
                out.line("creating network " + n.getValue());
                call("create network", () -> docker.createNetworkCmd().withName(n.getValue()).withDriver("bridge")
                        .withLabels(ComposeLabels.network(project, n.getKey())).exec());
            }
        }
        for (Map.Entry<String, String> v : project.volumes().entrySet()) {
            try {
                call("inspect volume", () -> docker.inspectVolumeCmd(v.getValue()).exec());
            } catch (NotFoundException e) {
                out.line("creating volume " + v.getValue());
                call("create volume", () -> docker.createVolumeCmd().withName(v.getValue())
                        .withLabels(ComposeLabels.volume(project, v.getKey())).exec());
            }
        }
    }

    private Map<String, List<Container>> containersByService(ComposeProject project, boolean oneOff) {
        Map<String, List<Container>> byService = new LinkedHashMap<>();
        List<Container> all = call("list containers", () -> docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(ComposeLabels.PROJECT, project.name())).exec());
        for (Container c : all) {
            Map<String, String> labels = c.getLabels();
            if (oneOff != "True".equals(labels.get(ComposeLabels.ONEOFF))) continue;
            byService.computeIfAbsent(labels.getOrDefault(ComposeLabels.SERVICE, ""), k -> new ArrayList<>()).add(c);
        }
        return byService;
    }

    private void removeContainer(String id) {
        try {
            docker.stopContainerCmd(id).withTimeout(STOP_SECONDS).exec();
        } catch (NotModifiedException | NotFoundException e) {
            // already stopped or gone
        } catch (RuntimeException e) {
            throw translate("stop container", e);
        }
        try {
            docker.removeContainerCmd(id).withForce(true).exec();
        } catch (NotFoundException e) {
            // removed meanwhile
        } catch (RuntimeException e) {
            throw translate("remove container", e);
        }
    }

    @Override
    public int runOneOff(ComposeProject project, String service, List<String> command, OutputSink out, Duration timeout) {
        ServiceSpec spec = project.require(service);
        ensureNetworksAndVolumes(project, out);
        if (!imageExists(spec.image())) pull(spec.image(), out, timeout);
        String name = project.name() + "-" + service + "-run-" + UUID.randomUUID().toString().substring(0, 12);
        String id = call("create one-off " + service,
                () -> ContainerSpecs.create(docker, project, spec, name, true, command).exec().getId());
        try {
            call("start one-off " + service, () -> docker.startContainerCmd(id).exec());
            FrameSink logs = new FrameSink(out);
            docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true).exec(logs);
            if (!logs.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                closeQuietly(logs);
                throw new DockerException(String.join(" ", command) + " in " + service + " took longer than " + human(timeout));
            }
            Integer code = docker.waitContainerCmd(id)
                    .exec(new com.github.dockerjava.api.command.WaitContainerResultCallback())
                    .awaitStatusCode(STOP_SECONDS, TimeUnit.SECONDS);
            return code == null ? -1 : code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DockerException("one-off " + service + " was interrupted", e);
        } catch (DockerException e) {
            throw e;
        } catch (RuntimeException e) {
            throw translate("run one-off " + service, e);
        } finally {
            try {
                docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
            } catch (RuntimeException ignored) {
                // best effort: the container is labelled as a one-off and will show in ps
            }
        }
    }

    @Override
    public int exec(ComposeProject project, String service, List<String> command, OutputSink out, Duration timeout) {
        String id = runningContainer(project, service);
        try {
            String execId = docker.execCreateCmd(id).withCmd(command.toArray(String[]::new))
                    .withAttachStdout(true).withAttachStderr(true).exec().getId();
            FrameSink sink = new FrameSink(out);
            docker.execStartCmd(execId).exec(sink);
            if (!sink.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                closeQuietly(sink);
                throw new DockerException(String.join(" ", command) + " in " + service + " took longer than " + human(timeout));
            }
            Long code = docker.inspectExecCmd(execId).exec().getExitCodeLong();
            return code == null ? -1 : code.intValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DockerException("exec in " + service + " was interrupted", e);
        } catch (DockerException e) {
            throw e;
        } catch (RuntimeException e) {
            throw translate("exec in " + service, e);
        }
    }

    private String runningContainer(ComposeProject project, String service) {
        project.require(service);
        return containersByService(project, false).getOrDefault(service, List.of()).stream()
                .filter(c -> "running".equals(c.getState())).map(Container::getId).findFirst()
                .orElseThrow(() -> new DockerException("service " + service + " has no running container"));
    }

    @Override
    public void logs(ComposeProject project, String service, int tail, OutputSink out, Duration timeout) {
        project.require(service);
        List<Container> containers = containersByService(project, false).getOrDefault(service, List.of());
        if (containers.isEmpty()) throw new DockerException("service " + service + " has no container");
        FrameSink sink = new FrameSink(out);
        try {
            docker.logContainerCmd(containers.get(0).getId()).withStdOut(true).withStdErr(true).withTail(tail).exec(sink);
            if (!sink.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                closeQuietly(sink);
                throw new DockerException("reading logs of " + service + " took longer than " + human(timeout));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DockerException("reading logs was interrupted", e);
        } catch (DockerException e) {
            throw e;
        } catch (RuntimeException e) {
            throw translate("logs of " + service, e);
        }
    }

    @Override
    public void restart(ComposeProject project, Collection<String> services, OutputSink out, Duration timeout) {
        Map<String, List<Container>> existing = containersByService(project, false);
        for (String service : project.startOrder(services)) {
            List<Container> containers = existing.getOrDefault(service, List.of());
            if (containers.isEmpty()) throw new DockerException("service " + service + " has no container to restart");
            for (Container c : containers) {
                out.line(service + ": restarting " + shortName(c));
                call("restart " + service, () -> docker.restartContainerCmd(c.getId()).withTimeout(STOP_SECONDS).exec());
            }
        }
    }

    @Override
    public int pruneDangling(Collection<String> repositories, OutputSink out) {
        // Only images that came from the stack's own repositories: a blanket prune would touch other projects.
        List<Image> dangling = call("list images", () -> docker.listImagesCmd().withDanglingFilter(true).exec());
        int removed = 0;
        for (Image image : dangling) {
            String[] digests = image.getRepoDigests();
            if (digests == null) continue;
            boolean ours = false;
            for (String d : digests) {
                int at = d.indexOf('@');
                if (at > 0 && repositories.contains(d.substring(0, at))) ours = true;
            }
            if (!ours) continue;
            try {
                docker.removeImageCmd(image.getId()).exec();
                out.line("removed dangling image " + image.getId().replace("sha256:", "").substring(0, 12));
                removed++;
            } catch (ConflictException | NotFoundException e) {
                // still used by a container, or removed meanwhile
            }
        }
        out.line(removed == 0 ? "no dangling images to remove" : removed + " dangling image(s) removed");
        return removed;
    }

    @Override
    public Optional<Integer> publishedPort(ComposeProject project, String service, int containerPort) {
        String id = runningContainer(project, service);
        InspectContainerResponse inspect = call("inspect " + service, () -> docker.inspectContainerCmd(id).exec());
        Ports.Binding[] bindings = inspect.getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(containerPort));
        if (bindings == null) return Optional.empty();
        for (Ports.Binding b : bindings) {
            if (b.getHostPortSpec() != null && !b.getHostPortSpec().isEmpty()) {
                return Optional.of(Integer.parseInt(b.getHostPortSpec()));
            }
        }
        return Optional.empty();
    }

    /** The host of a {@code tcp://} endpoint (a port published there listens on that machine); 127.0.0.1 for a local socket. */
    @Override
    public String publishedHost() {
        return publishedHost(endpoint);
    }

    static String publishedHost(String endpoint) {
        if (endpoint != null && endpoint.startsWith("tcp://")) {
            String host = java.net.URI.create(endpoint).getHost();
            if (host != null && !host.isEmpty() && !host.equals("0.0.0.0")) return host;
        }
        return "127.0.0.1";
    }

    @Override
    public void down(ComposeProject project, boolean volumes, Duration timeout) {
        for (Container c : call("list containers", () -> docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(ComposeLabels.PROJECT, project.name())).exec())) {
            removeContainer(c.getId());
        }
        for (Network n : call("list networks", () -> docker.listNetworksCmd()
                .withFilter("label", List.of(ComposeLabels.PROJECT + "=" + project.name())).exec())) {
            try {
                docker.removeNetworkCmd(n.getId()).exec();
            } catch (NotFoundException ignored) {
                // gone
            }
        }
        if (volumes) {
            for (String v : project.volumes().values()) {
                try {
                    var inspect = docker.inspectVolumeCmd(v).exec();
                    if (inspect.getLabels() != null && project.name().equals(inspect.getLabels().get(ComposeLabels.PROJECT))) {
                        docker.removeVolumeCmd(v).exec();
                    }
                } catch (NotFoundException ignored) {
                    // gone
                }
            }
        }
    }

    @Override
    public void close() {
        parallel.shutdownNow();
        try {
            docker.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    private <T> T call(String what, java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (NotFoundException e) {
            throw e;
        } catch (RuntimeException e) {
            throw translate(what, e);
        }
    }

    private void call(String what, Runnable action) {
        call(what, () -> {
            action.run();
            return null;
        });
    }

    private DockerException translate(String what, RuntimeException e) {
        if (e instanceof DockerException d) return d;
        String root = rootMessage(e);
        if (unreachable(e)) {
            return new DockerUnavailableException("Docker is not reachable at " + endpoint + " (" + what + "): " + why(e), e);
        }
        if (e instanceof com.github.dockerjava.api.exception.DockerException de) {
            return new DockerException("cannot " + what + ": " + cleanApiMessage(de.getMessage()), e);
        }
        return new DockerException("cannot " + what + ": " + root, e);
    }

    /** The kind of failure first (TLS, refused, timed out), then what the platform said. */
    static String why(Throwable e) {
        String root = rootMessage(e);
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException || t instanceof java.security.GeneralSecurityException) return "TLS failed: " + root;
            if (t instanceof java.net.ConnectException) return "connection refused: " + root;
            if (t instanceof org.apache.hc.core5.http.NoHttpResponseException) return "the connection was closed without an answer: " + root;
            if (t instanceof java.net.SocketTimeoutException || t instanceof java.io.InterruptedIOException) return "timed out: " + root;
            if (t instanceof java.net.UnknownHostException) return "unknown host: " + root;
        }
        return root;
    }

    /** True when the cause is the connection itself (socket missing, refused, reset, TLS, timeout), not an answer. */
    private static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException || t instanceof java.net.SocketTimeoutException
                    || t instanceof java.io.InterruptedIOException || t instanceof org.apache.hc.core5.http.NoHttpResponseException) {
                return true;
            }
            if (t instanceof java.net.ConnectException || t instanceof java.net.SocketException
                    || t instanceof java.net.UnknownHostException || t instanceof java.net.NoRouteToHostException) {
                return true;
            }
            String m = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof IOException && !(t instanceof com.fasterxml.jackson.core.JsonProcessingException)
                    && (m.contains("No such file or directory") || m.contains("Connection refused") || m.contains("Broken pipe"))) {
                return true;
            }
        }
        return false;
    }

    private static String cleanApiMessage(String message) {
        // docker-java's messages look like 'Status 404: {"message":"..."}'
        int at = message.indexOf("\"message\":\"");
        if (at >= 0) {
            int end = message.indexOf('"', at + 11);
            if (end > at) return message.substring(at + 11, end);
        }
        return message.strip();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static String shortName(Container c) {
        return c.getNames() != null && c.getNames().length > 0 ? c.getNames()[0].replaceFirst("^/", "") : c.getId().substring(0, 12);
    }

    private static String human(Duration d) {
        return d.toSeconds() >= 60 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing a stream we gave up on
        }
    }
}
