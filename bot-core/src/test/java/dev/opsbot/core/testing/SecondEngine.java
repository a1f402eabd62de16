package dev.opsbot.core.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.SwarmInfo;
import dev.opsbot.core.dockerjava.DockerEngine;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A second, throw-away Docker engine on this machine for one test class: a {@code dockerd} with
 * its own data root, exec root and managed containerd, in a network namespace of its own joined
 * to the host by a veth pair, answering on {@code tcp://10.213.X.Y:2375}.
 *
 * <p>Why its own network namespace: a second dockerd in the host's namespace shares bridges,
 * iptables and routes with the first. With {@code --bridge=none} it deletes the host's
 * {@code docker0} at start-up (Moby's {@code removeDefaultBridgeInterface}); with
 * {@code --iptables=false} the containers of its compose networks cannot reach each other behind
 * the first engine's {@code FORWARD DROP}; with iptables on it would rewrite the first engine's
 * chains; and two swarm nodes in one namespace would clash on {@code docker_gwbridge} and the
 * overlay's VXLAN devices. In its own namespace all of that is its own, and the first engine
 * is left alone.
 *
 * <p>The local registry listens on 127.0.0.1:5000 of the host, and image names say
 * {@code 127.0.0.1:5000/…}: inside the namespace a DNAT rule sends that address to a port this
 * fixture forwards, on the host end of the veth, to the registry. So the second engine pulls the
 * demo images under their own names.
 *
 * <p>{@link #stop()} stops the engine (the endpoint then refuses connections); {@link #close()}
 * also removes everything the fixture made: processes, mounts, the namespace, the veth pair and
 * the folder. Tests are skipped with a message when not root or when dockerd, ip, nsenter or
 * iptables is missing, and fail instead under OPSBOT_REQUIRE_DOCKER=1.
 */
public final class SecondEngine implements AutoCloseable {
    private static final int API_PORT = 2375;
    private static final Duration READY = Duration.ofSeconds(40);
    private static final String REGISTRY_HOST = "127.0.0.1";
    private static final int REGISTRY_PORT = 5000;

    private final String netns;
    private final String hostVeth;
    private final String engineVeth;
    private final String hostAddress;
    private final String engineAddress;
    private final Path dir;
    private final List<String> created = new ArrayList<>();
    private PortForwarder registry;
    private Process dockerd;
    private Duration startup;
    private boolean runNetnsCreated;

    private SecondEngine(String id, int third, int fourth, Path dir) {
        this.netns = "opsbot-d2-" + id;
        this.hostVeth = "od2h" + id;
        this.engineVeth = "od2n" + id;
        this.hostAddress = "10.213." + third + "." + (fourth + 1);
        this.engineAddress = "10.213." + third + "." + (fourth + 2);
        this.dir = dir;
    }

    /** Starts a second engine and waits until it answers; skips (or fails under OPSBOT_REQUIRE_DOCKER=1) where it cannot run. */
    public static SecondEngine start() throws IOException, InterruptedException {
        if (!root()) MissingRequirement.skipOrFail("a second Docker engine needs root (network namespace, dockerd); this process is not root");
        for (String tool : List.of("dockerd", "ip", "nsenter", "iptables", "umount")) {
            if (which(tool) == null) MissingRequirement.skipOrFail("a second Docker engine needs " + tool + " on the PATH and it is not there");
        }
        String id = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL | 0x1000000L).substring(1);
        String used = run("ip", "-4", "-o", "addr", "show");
        int third;
        do {
            third = ThreadLocalRandom.current().nextInt(256);
        } while (used.contains(" 10.213." + third + "."));
        int fourth = ThreadLocalRandom.current().nextInt(64) * 4;
        // Short path: containerd's sockets live under it.
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "opsbot-d2-");
        SecondEngine engine = new SecondEngine(id, third, fourth, dir);
        try {
            engine.network();
            engine.startDockerd();
            return engine;
        } catch (IOException | RuntimeException | InterruptedException | Error e) {
            try {
                engine.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            if (e instanceof IllegalStateException && !engine.started()) {
                MissingRequirement.skipOrFail("the second Docker engine did not start: " + e.getMessage());
            }
            throw e;
        }
    }

    private boolean started() {
        return startup != null;
    }

    private void network() throws IOException, InterruptedException {
        runNetnsCreated = !Files.exists(Path.of("/run/netns"));
        run("ip", "netns", "add", netns);
        created.add("netns");
        run("ip", "link", "add", hostVeth, "type", "veth", "peer", "name", engineVeth);
        created.add("veth");
        run("ip", "link", "set", engineVeth, "netns", netns);
        run("ip", "addr", "add", hostAddress + "/30", "dev", hostVeth);
        run("ip", "link", "set", hostVeth, "up");
        inNetns("ip", "link", "set", "lo", "up");
        inNetns("ip", "addr", "add", engineAddress + "/30", "dev", engineVeth);
        inNetns("ip", "link", "set", engineVeth, "up");
        inNetns("ip", "route", "add", "default", "via", hostAddress);
        registry = new PortForwarder(new InetSocketAddress(hostAddress, 0), new InetSocketAddress(REGISTRY_HOST, REGISTRY_PORT),
                "second-engine-registry");
        // 127.0.0.1:5000 in the namespace -> the forwarder on the host end of the veth -> the registry.
        inNetns("sysctl", "-qw", "net.ipv4.conf.all.route_localnet=1");
        inNetns("sysctl", "-qw", "net.ipv4.conf." + engineVeth + ".route_localnet=1");
        inNetns("iptables", "-t", "nat", "-A", "OUTPUT", "-d", REGISTRY_HOST + "/32", "-p", "tcp", "--dport",
                String.valueOf(REGISTRY_PORT), "-j", "DNAT", "--to-destination", hostAddress + ":" + registry.port());
        inNetns("iptables", "-t", "nat", "-A", "POSTROUTING", "-s", "127.0.0.0/8", "-o", engineVeth, "-j", "SNAT",
                "--to-source", engineAddress);
    }

    private void startDockerd() throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("exec"));
        long t0 = System.nanoTime();
        // --tls=false: without it dockerd sleeps 15 s when told to listen on a non-loopback address without TLS.
        dockerd = new ProcessBuilder("nsenter", "--net=/run/netns/" + netns, "dockerd",
                "--host", "tcp://" + engineAddress + ":" + API_PORT, "--tls=false",
                "--data-root", dir.resolve("data").toString(), "--exec-root", dir.resolve("exec").toString(),
                "--pidfile", dir.resolve("dockerd.pid").toString(), "--bridge=none", "--shutdown-timeout", "3")
                .redirectErrorStream(true).redirectOutput(dir.resolve("dockerd.log").toFile()).start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ping = HttpRequest.newBuilder(URI.create("http://" + engineAddress + ":" + API_PORT + "/_ping"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = t0 + READY.toNanos();
        while (true) {
            if (!dockerd.isAlive()) throw new IllegalStateException("dockerd exited with " + dockerd.exitValue() + ":\n" + logTail());
            try {
                if (http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) break;
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() - deadline > 0) throw new IllegalStateException("dockerd did not answer within " + READY.toSeconds() + " s:\n" + logTail());
            Thread.sleep(50);
        }
        startup = Duration.ofNanos(System.nanoTime() - t0);
    }

    /** {@code tcp://10.213.X.Y:2375} */
    public String endpoint() {
        return "tcp://" + engineAddress + ":" + API_PORT;
    }

    /** The engine's own address (in its namespace), e.g. to advertise as a swarm node. */
    public String address() {
        return engineAddress;
    }

    /** The host's end of the link: where the second engine reaches the first engine's swarm port. */
    public String hostAddress() {
        return hostAddress;
    }

    /** How long dockerd took from its start until it answered. */
    public Duration startup() {
        return startup;
    }

    public DockerEngine connect() {
        return DockerEngine.connect(endpoint(), false, null);
    }

    /** A docker-java client of this engine, for fixtures (joining a swarm); the caller closes it. */
    public DockerClient client() {
        return DockerSupport.client(endpoint());
    }

    public boolean running() {
        return dockerd != null && dockerd.isAlive();
    }

    /** Stops dockerd (its containers stop with it); its endpoint then refuses connections. The namespace stays until {@link #close()}. */
    public void stop() throws InterruptedException {
        if (dockerd == null) return;
        dockerd.destroy();
        if (!dockerd.waitFor(30, TimeUnit.SECONDS)) {
            dockerd.destroyForcibly();
            dockerd.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Stops dockerd and starts it again on the same data, as {@code systemctl restart docker} would:
     * its containers stop with it and those with a restart policy start again with it. Returns how
     * long the engine was away.
     */
    public Duration restart() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        stop();
        startDockerd();
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** Leaves any swarm, removes every container, stops dockerd and removes the namespace, the veth pair, mounts and the folder. */
    @Override
    public void close() {
        List<String> problems = new ArrayList<>();
        if (running()) {
            try (DockerClient docker = client()) {
                SwarmInfo swarm = docker.infoCmd().exec().getSwarm();
                if (swarm != null && swarm.getLocalNodeState() != LocalNodeState.INACTIVE) docker.leaveSwarmCmd().withForceEnabled(true).exec();
                for (Container c : docker.listContainersCmd().withShowAll(true).exec()) {
                    docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                }
            } catch (IOException | RuntimeException e) {
                problems.add("emptying the engine: " + e.getMessage());
            }
        }
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("interrupted while stopping dockerd");
        }
        killLeftovers(problems);
        unmountUnder(problems);
        if (registry != null) registry.close();
        if (created.contains("netns")) quietly(problems, "ip", "netns", "del", netns);
        // The veth pair goes with the namespace, which the kernel tears down a moment after `ip netns del`;
        // deleting it here only matters when moving its end into the namespace failed.
        if (created.contains("veth")) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (linkExists(hostVeth) && System.nanoTime() - deadline < 0) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (linkExists(hostVeth)) {
                try {
                    run("ip", "link", "del", hostVeth);
                } catch (IOException | RuntimeException | InterruptedException e) {
                    if (linkExists(hostVeth)) problems.add("could not remove " + hostVeth + ": " + e.getMessage());
                }
            }
        }
        if (runNetnsCreated) {
            String[] left = new File("/run/netns").list();
            if (left != null && left.length == 0) {
                quietly(problems, "umount", "/run/netns");
                new File("/run/netns").delete();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            problems.add("removing " + dir + ": " + e.getMessage());
        }
        if (Files.exists(dir)) problems.add(dir + " is still there");
        if (!problems.isEmpty()) throw new IllegalStateException("cleaning up the second Docker engine: " + String.join("; ", problems));
    }

    /** Processes of this engine that outlived dockerd: containerd, shims, and whatever runs in the namespace or the engine's containers. */
    private void killLeftovers(List<String> problems) {
        List<Long> pids = new ArrayList<>();
        String marker = dir.toString() + "/";
        File[] procs = new File("/proc").listFiles((d, name) -> name.chars().allMatch(Character::isDigit));
        for (File p : procs == null ? new File[0] : procs) {
            try {
                String cmdline = Files.readString(p.toPath().resolve("cmdline"), StandardCharsets.ISO_8859_1).replace('\0', ' ');
                if (cmdline.contains(marker)) pids.add(Long.parseLong(p.getName()));
            } catch (IOException | RuntimeException gone) {
                // exited meanwhile
            }
        }
        if (created.contains("netns")) {
            try {
                for (String line : run("ip", "netns", "pids", netns).split("\\s+")) if (!line.isBlank()) pids.add(Long.parseLong(line.trim()));
            } catch (IOException | RuntimeException | InterruptedException e) {
                // the namespace is gone
            }
        }
        // Container processes, should dockerd and their shims have died without stopping them.
        File[] containers = dir.resolve("data/containers").toFile().listFiles();
        for (File c : containers == null ? new File[0] : containers) {
            for (Path procsFile : List.of(Path.of("/sys/fs/cgroup/pids/docker", c.getName(), "cgroup.procs"),
                    Path.of("/sys/fs/cgroup/docker", c.getName(), "cgroup.procs"))) {
                try {
                    for (String line : Files.readAllLines(procsFile)) if (!line.isBlank()) pids.add(Long.parseLong(line.trim()));
                } catch (IOException | RuntimeException none) {
                    // no such cgroup
                }
            }
        }
        for (long pid : pids) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(h -> {
                try {
                    h.onExit().get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    problems.add("process " + pid + " did not exit");
                }
            });
        }
        // Their cgroups, left behind only when the runtime could not remove them.
        File[] controllers = new File("/sys/fs/cgroup").listFiles();
        for (File c : containers == null ? new File[0] : containers) {
            for (File controller : controllers == null ? new File[0] : controllers) {
                File group = new File(controller, "docker/" + c.getName());
                if (group.isDirectory() && !group.delete()) problems.add("could not remove cgroup " + group);
            }
        }
    }

    private void unmountUnder(List<String> problems) {
        List<String> points = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String point = line.split(" ")[4].replace("\\040", " ");
                if (point.startsWith(dir + "/")) points.add(point);
            }
        } catch (IOException e) {
            problems.add("reading mounts: " + e.getMessage());
        }
        points.sort(Comparator.reverseOrder());
        for (String point : points) quietly(problems, "umount", "-l", point);
    }

    private boolean linkExists(String name) {
        return new File("/sys/class/net/" + name).exists();
    }

    private void quietly(List<String> problems, String... cmd) {
        try {
            run(cmd);
        } catch (IOException | RuntimeException e) {
            problems.add(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("interrupted: " + String.join(" ", cmd));
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("dockerd.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private String inNetns(String... cmd) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + netns));
        full.addAll(List.of(cmd));
        return run(full.toArray(String[]::new));
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " took longer than 30 s");
        }
        if (p.exitValue() != 0) throw new IllegalStateException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out.strip());
        return out;
    }

    private static boolean root() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return line.split("\\s+")[2].equals("0");
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static Path which(String tool) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
        for (String d : path.split(":")) {
            if (d.isEmpty()) continue;
            Path candidate = Path.of(d, tool);
            if (Files.isExecutable(candidate)) return candidate;
        }
        return null;
    }

}
