package dev.opsbot.app;

import dev.opsbot.core.compose.ComposeLoader;
import dev.opsbot.core.health.MonitorSettings;
import dev.opsbot.core.runbook.Approval;
import dev.opsbot.core.runbook.EnvironmentRules;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One entry of the {@code environments:} section of opsbot.yml: where its Docker engine is
 * (with TLS the way {@code DOCKER_TLS_VERIFY} and {@code DOCKER_CERT_PATH} give it), what it
 * operates, the channels bound to it, its rules, and its own monitor.
 *
 * @param tlsVerify   verify the engine's certificate and present ours (cert-path holds ca.pem, cert.pem, key.pem)
 * @param swarm       the stack file's services run as a Docker Swarm stack named {@code project}, not as a compose project
 * @param runbooks    the runbooks folder for this environment; null for the top-level one (its swarm/ folder for a swarm)
 * @param monitor     this environment's health monitor; null for none
 */
record EnvironmentConfig(String name, String dockerHost, boolean tlsVerify, Path certPath, String stackName, Path composeFile,
                         String project, boolean swarm, List<String> channels, EnvironmentRules rules, Path runbooks,
                         MonitorSettings monitor) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Set<String> KEYS = Set.of("docker", "stack", "target", "channels", "approval", "runbooks", "monitor");
    private static final Set<String> DOCKER_KEYS = Set.of("host", "tls-verify", "cert-path");
    private static final Set<String> STACK_KEYS = Set.of("name", "compose-file", "project");
    private static final Set<String> APPROVAL_KEYS = Set.of("approvers", "role", "self-approve", "expires");

    /** Where this environment keeps its database and run logs, apart from the others. */
    Path dataDir(Path root) {
        return root.resolve("environments").resolve(name);
    }

    /** The {@code environments:} section; an empty list when there is none. */
    static List<EnvironmentConfig> read(Object section, Path base) {
        if (section == null) return List.of();
        if (!(section instanceof Map<?, ?> all) || all.isEmpty()) {
            throw new AppConfig.ConfigException("environments: expected a name for each environment, e.g. staging: {docker: …, stack: …}");
        }
        List<EnvironmentConfig> out = new ArrayList<>();
        all.forEach((name, value) -> out.add(one(String.valueOf(name), value, base)));
        return List.copyOf(out);
    }

    private static EnvironmentConfig one(String name, Object value, Path base) {
        String where = "environments." + name;
        if (!NAME.matcher(name).matches()) {
            throw new AppConfig.ConfigException(where + ": a name is lower-case letters, digits and dashes (it is typed as --env " + name + ")");
        }
        Map<?, ?> e = map(value, where);
        known(e, KEYS, where);
        Map<?, ?> docker = e.get("docker") == null ? Map.of() : map(e.get("docker"), where + ".docker");
        known(docker, DOCKER_KEYS, where + ".docker");
        String host = docker.get("host") == null ? "unix:///var/run/docker.sock" : String.valueOf(docker.get("host"));
        Path certPath = docker.get("cert-path") == null ? null : base.resolve(String.valueOf(docker.get("cert-path")));
        boolean tls = docker.get("tls-verify") == null ? certPath != null : Boolean.TRUE.equals(docker.get("tls-verify"));
        if (tls && certPath == null) {
            throw new AppConfig.ConfigException(where + ".docker: tls-verify needs cert-path (a folder with ca.pem, cert.pem and key.pem)");
        }
        if (e.get("stack") == null) throw new AppConfig.ConfigException(where + ": stack: {compose-file: …} is missing");
        Map<?, ?> stack = map(e.get("stack"), where + ".stack");
        known(stack, STACK_KEYS, where + ".stack");
        if (stack.get("compose-file") == null) throw new AppConfig.ConfigException(where + ".stack: compose-file is missing");
        Path compose = base.resolve(String.valueOf(stack.get("compose-file")));
        String target = e.get("target") == null ? "compose" : String.valueOf(e.get("target"));
        if (!target.equals("compose") && !target.equals("swarm")) {
            throw new AppConfig.ConfigException(where + ".target: compose (a compose project, the default) or swarm (a Docker Swarm stack), not '" + target + "'");
        }
        boolean swarm = target.equals("swarm");
        if (swarm && stack.get("project") == null) {
            throw new AppConfig.ConfigException(where + ".stack: project is the swarm stack's name (as docker stack deploy was given it)");
        }
        List<String> channels = e.get("channels") == null ? List.of() : list(e.get("channels"), where + ".channels");
        MonitorSettings monitor;
        try {
            monitor = MonitorConfig.read(e.get("monitor"), false);
        } catch (AppConfig.ConfigException ex) {
            throw new AppConfig.ConfigException(where + "." + ex.getMessage());
        }
        return new EnvironmentConfig(name, host, tls, certPath,
                stack.get("name") == null ? name : String.valueOf(stack.get("name")),
                compose,
                stack.get("project") == null ? null : String.valueOf(stack.get("project")),
                swarm,
                channels,
                rules(e.get("approval"), where + ".approval"),
                e.get("runbooks") == null ? null : base.resolve(String.valueOf(e.get("runbooks"))),
                monitor);
    }

    /** {@code approval: none} (a confirmation is enough), or the approval every change needs. */
    private static EnvironmentRules rules(Object value, String where) {
        if (value == null) return EnvironmentRules.AS_WRITTEN;
        if ("none".equals(value) || Boolean.FALSE.equals(value)) return new EnvironmentRules(true, null);
        Map<?, ?> a = map(value, where);
        known(a, APPROVAL_KEYS, where);
        Duration expires = null;
        if (a.get("expires") != null) {
            try {
                expires = ComposeLoader.duration(a.get("expires"));
            } catch (RuntimeException ex) {
                throw new AppConfig.ConfigException(where + ".expires: " + ex.getMessage());
            }
        }
        return new EnvironmentRules(false, new Approval(a.get("approvers") instanceof Number n ? n.intValue() : 1,
                a.get("role") == null ? null : String.valueOf(a.get("role")), Boolean.TRUE.equals(a.get("self-approve")), expires));
    }

    private static Map<?, ?> map(Object value, String where) {
        if (value instanceof Map<?, ?> m) return m;
        throw new AppConfig.ConfigException(where + ": expected a mapping");
    }

    private static List<String> list(Object value, String where) {
        if (value instanceof List<?> l) return l.stream().map(String::valueOf).toList();
        throw new AppConfig.ConfigException(where + ": expected a list like [\"slack:C0123\"]");
    }

    private static void known(Map<?, ?> m, Set<String> keys, String where) {
        for (Object k : m.keySet()) {
            if (!keys.contains(String.valueOf(k))) {
                throw new AppConfig.ConfigException(where + ": unknown setting '" + k + "' (known: " + new TreeSet<>(keys) + ")");
            }
        }
    }
}
