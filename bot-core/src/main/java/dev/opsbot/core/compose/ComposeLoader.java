package dev.opsbot.core.compose;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads a compose file into a {@link ComposeProject}: interpolates variables from the process
 * environment and the project's {@code .env}, merges {@code env_file}s, resolves relative bind
 * mounts, and refuses keys it would silently ignore.
 */
public final class ComposeLoader {
    private static final Set<String> SUPPORTED = Set.of("image", "command", "entrypoint", "environment",
            "env_file", "ports", "volumes", "networks", "depends_on", "healthcheck", "restart", "labels",
            "init", "user", "working_dir", "container_name", "expose", "stop_grace_period",
            // A stack file's swarm settings: the swarm keeps them in each service's spec; compose targets ignore them, as docker-compose does.
            "deploy");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|ns|h|m|s)");

    private final Map<String, String> environment;

    /** @param environment the variables that override the project's .env (usually the process environment) */
    public ComposeLoader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public ComposeProject load(Path file, String projectName) {
        return load(file, projectName, new ArrayList<>());
    }

    /**
     * Reads the project, adding a snapshot of every file it was made from to {@code read}: the
     * compose file, its {@code .env} (also when missing: it counts once it appears) and the
     * {@code env_file}s, so a cache can tell when the project would read differently.
     */
    ComposeProject load(Path file, String projectName, List<FileSnapshot> read) {
        FileSnapshot compose = FileSnapshot.read(file);
        read.add(compose);
        if (!compose.exists()) throw new ComposeException("cannot read compose file " + file + ": it does not exist");
        String text = compose.text();
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (RuntimeException e) {
            throw new ComposeException("compose file " + file + " is not valid YAML: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> top) || !(top.get("services") instanceof Map<?, ?> services)) {
            throw new ComposeException("compose file " + file + " has no services");
        }
        Path dir = file.toAbsolutePath().getParent();
        Map<String, String> vars = new HashMap<>();
        FileSnapshot dotEnv = FileSnapshot.read(dir.resolve(".env"));
        read.add(dotEnv);
        if (dotEnv.exists()) vars.putAll(EnvFile.parse(dotEnv.text()));
        vars.putAll(environment);
        Interpolator interpolator = new Interpolator(vars);

        String project = projectName != null ? projectName
                : top.get("name") instanceof String n ? interpolator.apply(n) : dir.getFileName().toString();
        project = project.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "");

        Map<String, String> volumes = new LinkedHashMap<>();
        if (top.get("volumes") instanceof Map<?, ?> vs) {
            for (Map.Entry<?, ?> e : vs.entrySet()) {
                String key = String.valueOf(e.getKey());
                volumes.put(key, externalName(e.getValue(), project + "_" + key));
            }
        }
        Map<String, String> networks = new LinkedHashMap<>();
        networks.put("default", project + "_default");
        if (top.get("networks") instanceof Map<?, ?> ns) {
            for (Map.Entry<?, ?> e : ns.entrySet()) {
                String key = String.valueOf(e.getKey());
                networks.put(key, externalName(e.getValue(), project + "_" + key));
            }
        }
        Map<String, ServiceSpec> specs = new LinkedHashMap<>();
        Set<String> envFiles = new LinkedHashSet<>();
        for (Map.Entry<?, ?> e : services.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (!(e.getValue() instanceof Map<?, ?> body)) {
                throw new ComposeException("service " + name + " is empty");
            }
            specs.put(name, service(name, body, dir, interpolator, volumes, networks, envFiles, read));
        }
        for (ServiceSpec s : specs.values()) {
            for (String dep : s.dependsOn()) {
                if (!specs.containsKey(dep)) {
                    throw new ComposeException("service " + s.name() + " depends on unknown service " + dep);
                }
            }
        }
        return new ComposeProject(project, file.toAbsolutePath(), specs, volumes, networks, envFiles);
    }

    private static String externalName(Object decl, String defaultName) {
        if (decl instanceof Map<?, ?> m) {
            if (m.get("name") instanceof String n) return n;
        }
        return defaultName;
    }

    private ServiceSpec service(String name, Map<?, ?> body, Path dir, Interpolator in,
                                Map<String, String> volumes, Map<String, String> networks, Set<String> envFiles,
                                List<FileSnapshot> read) {
        if (body.containsKey("build")) {
            throw new ComposeException("service " + name + ": build: is not supported: the bot deploys images, push one to a registry");
        }
        for (Object key : body.keySet()) {
            if (!SUPPORTED.contains(String.valueOf(key))) {
                throw new ComposeException("service " + name + ": key '" + key + "' is not supported by opsbot");
            }
        }
        Object image = body.get("image");
        if (!(image instanceof String)) {
            throw new ComposeException("service " + name + " has no image (build: is not supported; push an image)");
        }
        Map<String, String> env = new TreeMap<>();
        for (String f : stringList(body.get("env_file"), in)) {
            Path p = path(name, "env_file", f, () -> dir.resolve(f).normalize());
            envFiles.add(p.toString());
            FileSnapshot envFile = FileSnapshot.read(p);
            read.add(envFile);
            if (!envFile.exists()) {
                throw new ComposeException("service " + name + ": env_file " + f + " does not exist in " + dir);
            }
            env.putAll(EnvFile.parse(envFile.text()));
        }
        env.putAll(keyValues(body.get("environment"), in));

        List<ServiceSpec.Port> ports = new ArrayList<>();
        for (String p : stringList(body.get("ports"), in)) ports.add(port(name, p));

        List<ServiceSpec.Mount> mounts = new ArrayList<>();
        for (String v : stringList(body.get("volumes"), in)) mounts.add(mount(name, v, dir, volumes));

        List<String> nets = new ArrayList<>();
        Object declared = body.get("networks");
        Iterable<String> netNames = declared instanceof Map<?, ?> m
                ? m.keySet().stream().map(String::valueOf).toList() : stringList(declared, in);
        for (String n : netNames) {
            String full = networks.get(n);
            if (full == null) throw new ComposeException("service " + name + " uses undeclared network " + n);
            nets.add(full);
        }
        if (nets.isEmpty()) nets.add(networks.get("default"));

        Object deps = body.get("depends_on");
        List<String> dependsOn = deps instanceof Map<?, ?> dm
                ? dm.keySet().stream().map(String::valueOf).toList() : stringList(deps, in);

        return new ServiceSpec(name, in.apply((String) image),
                words(body.get("command"), in), words(body.get("entrypoint"), in),
                env, ports, mounts, nets, dependsOn,
                health(name, body.get("healthcheck"), in),
                body.get("restart") == null ? "no" : in.apply(String.valueOf(body.get("restart"))),
                new TreeMap<>(keyValues(body.get("labels"), in)),
                Boolean.TRUE.equals(body.get("init")),
                body.get("user") == null ? null : in.apply(String.valueOf(body.get("user"))),
                body.get("working_dir") == null ? null : in.apply(String.valueOf(body.get("working_dir"))));
    }

    private static ServiceSpec.Port port(String service, String text) {
        String spec = text;
        String protocol = "tcp";
        int slash = spec.indexOf('/');
        if (slash >= 0) {
            protocol = spec.substring(slash + 1);
            spec = spec.substring(0, slash);
        }
        String[] parts = spec.split(":");
        try {
            return switch (parts.length) {
                case 1 -> new ServiceSpec.Port("", "", portNumber(parts[0]), protocol);
                case 2 -> new ServiceSpec.Port("", parts[0], portNumber(parts[1]), protocol);
                case 3 -> new ServiceSpec.Port(parts[0], parts[1], portNumber(parts[2]), protocol);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException e) {
            throw new ComposeException("service " + service + ": port '" + text + "' is not HOST:CONTAINER (a container port from 1 to 65535)");
        }
    }

    /** 1 to 65535 in digits 0-9 (Integer.parseInt also reads other scripts' digits); NumberFormatException otherwise. */
    private static int portNumber(String text) {
        if (!PORT.matcher(text).matches()) throw new NumberFormatException(text);
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) throw new NumberFormatException(text);
        return port;
    }

    private static ServiceSpec.Mount mount(String service, String text, Path dir, Map<String, String> volumes) {
        String[] parts = text.split(":");
        if (parts.length < 2) {
            throw new ComposeException("service " + service + ": anonymous volume '" + text + "' is not supported");
        }
        boolean readOnly = parts.length > 2 && parts[2].contains("ro");
        String source = parts[0];
        if (source.startsWith(".") || source.startsWith("/") || source.startsWith("~")) {
            Path host = path(service, "volume", text, () -> source.startsWith("~")
                    ? Path.of(System.getProperty("user.home"), source.substring(1)) : dir.resolve(source).normalize());
            return new ServiceSpec.Mount(host.toString(), parts[1], readOnly, false);
        }
        String full = volumes.get(source);
        if (full == null) {
            throw new ComposeException("service " + service + " mounts volume " + source
                    + " that is not declared under top-level volumes:");
        }
        return new ServiceSpec.Mount(full, parts[1], readOnly, true);
    }

    /** A path the file names; one no file system could have (a NUL in it) is refused rather than thrown. */
    private static Path path(String service, String what, String text, Supplier<Path> resolve) {
        try {
            return resolve.get();
        } catch (InvalidPathException e) {
            throw new ComposeException("service " + service + ": " + what + " '" + text.replaceAll("\\p{Cc}", "?")
                    + "' is not a path (" + e.getReason() + ")");
        }
    }

    private static ServiceSpec.Health health(String service, Object decl, Interpolator in) {
        if (!(decl instanceof Map<?, ?> h)) return null;
        if (Boolean.TRUE.equals(h.get("disable"))) return new ServiceSpec.Health(List.of("NONE"), null, null, 0, null);
        Object test = h.get("test");
        List<String> command;
        if (test instanceof String s) {
            command = List.of("CMD-SHELL", in.apply(s));
        } else if (test instanceof List<?> l && !l.isEmpty()) {
            command = l.stream().map(o -> in.apply(String.valueOf(o))).toList();
        } else {
            throw new ComposeException("service " + service + ": healthcheck has no test");
        }
        int retries = h.get("retries") instanceof Number n ? n.intValue() : 3;
        return new ServiceSpec.Health(command, duration(h.get("interval")), duration(h.get("timeout")),
                retries, duration(h.get("start_period")));
    }

    /** Compose durations: {@code 1m30s}, {@code 2s}, {@code 500ms}. */
    public static Duration duration(Object value) {
        if (value == null) return null;
        String text = String.valueOf(value).strip();
        Matcher m = DURATION.matcher(text);
        long nanos = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) break;
            double amount = Double.parseDouble(m.group(1)) * switch (m.group(2)) {
                case "h" -> 3_600_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "s" -> 1_000_000_000L;
                case "ms" -> 1_000_000L;
                case "us" -> 1_000L;
                default -> 1L;
            };
            // Beyond about 292 years a long of nanoseconds wraps round to a negative duration.
            if (amount >= Long.MAX_VALUE - nanos) throw new ComposeException("'" + text + "' is too long a duration");
            nanos += (long) amount;
            end = m.end();
        }
        if (end != text.length() || end == 0) {
            throw new ComposeException("'" + text + "' is not a duration like 30s, 1m30s or 500ms");
        }
        return Duration.ofNanos(nanos);
    }

    private static List<String> stringList(Object value, Interpolator in) {
        if (value == null) return List.of();
        if (value instanceof List<?> l) return l.stream().map(o -> in.apply(String.valueOf(o))).toList();
        return List.of(in.apply(String.valueOf(value)));
    }

    private static Map<String, String> keyValues(Object value, Interpolator in) {
        Map<String, String> out = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : in.apply(String.valueOf(v))));
        } else if (value instanceof List<?> l) {
            for (Object o : l) {
                String s = in.apply(String.valueOf(o));
                int eq = s.indexOf('=');
                if (eq > 0) out.put(s.substring(0, eq), s.substring(eq + 1));
            }
        }
        return out;
    }

    private static List<String> words(Object value, Interpolator in) {
        if (value == null) return null;
        if (value instanceof List<?> l) return l.stream().map(o -> in.apply(String.valueOf(o))).toList();
        return ShellWords.split(in.apply(String.valueOf(value)));
    }
}
