package dev.opsbot.core.runbook;

import dev.opsbot.core.compose.ComposeLoader;
import dev.opsbot.core.runbook.steps.ChoiceStep;
import dev.opsbot.core.runbook.steps.ExecStep;
import dev.opsbot.core.runbook.steps.HttpCheckStep;
import dev.opsbot.core.runbook.steps.LogsStep;
import dev.opsbot.core.runbook.steps.PinStep;
import dev.opsbot.core.runbook.steps.PruneStep;
import dev.opsbot.core.runbook.steps.PsStep;
import dev.opsbot.core.runbook.steps.PullStep;
import dev.opsbot.core.runbook.steps.ReleaseTagStep;
import dev.opsbot.core.runbook.steps.RestartStep;
import dev.opsbot.core.runbook.steps.RotateSecretStep;
import dev.opsbot.core.runbook.steps.RunOneOffStep;
import dev.opsbot.core.runbook.steps.SwarmJobStep;
import dev.opsbot.core.runbook.steps.SwarmRollbackStep;
import dev.opsbot.core.runbook.steps.SwarmUpdateStep;
import dev.opsbot.core.runbook.steps.UpStep;
import dev.opsbot.core.runbook.steps.WaitHealthyStep;
import dev.opsbot.core.swarm.UpdatePolicy;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.Node;

/** Reads one runbook YAML file, checking everything it can before the runbook is ever run. */
public final class RunbookLoader {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");
    private static final Set<String> TOP = Set.of("name", "summary", "usage", "mutates", "step-timeout", "params",
            "steps", "on-failure", "role", "channels", "approval");
    private static final Set<String> APPROVAL = Set.of("approvers", "role", "self-approve", "expires");
    private static final Set<String> PARAM = Set.of("name", "kind", "required", "default", "flag", "values", "of",
            "pattern", "min", "max", "help", "default-from");
    private static final Set<String> COMMON = Set.of("title", "timeout", "continue-on-failure");

    /** Step kinds by their YAML key; each parses its own fields. */
    private final Map<String, StepParser> kinds = Map.ofEntries(
            Map.entry("pin", (f, at) -> new PinStep(at.required(f, "services").strings(), at.required(f, "tag").string())),
            Map.entry("pull", (f, at) -> new PullStep(f.containsKey("services") ? f.get("services").strings() : List.of(),
                    f.containsKey("tag") ? f.get("tag").string() : null)),
            Map.entry("run", (f, at) -> new RunOneOffStep(at.required(f, "service").string(), at.required(f, "command").strings())),
            Map.entry("up", (f, at) -> new UpStep(f.containsKey("services") ? f.get("services").strings() : List.of(),
                    !f.containsKey("remove-orphans") || f.get("remove-orphans").bool())),
            Map.entry("restart", (f, at) -> new RestartStep(at.required(f, "services").strings())),
            Map.entry("prune", (f, at) -> new PruneStep()),
            Map.entry("http-check", this::httpCheck),
            Map.entry("exec", (f, at) -> new ExecStep(at.required(f, "service").string(), at.required(f, "command").strings())),
            Map.entry("logs", (f, at) -> new LogsStep(at.required(f, "services").strings(),
                    f.containsKey("tail") ? f.get("tail").integer() : 50)),
            Map.entry("ps", (f, at) -> new PsStep()),
            Map.entry("wait-healthy", (f, at) -> new WaitHealthyStep(f.containsKey("services") ? f.get("services").strings() : List.of())),
            Map.entry("choice", this::choice),
            // Docker Swarm stacks (docs/environments.md)
            Map.entry("swarm-update", this::swarmUpdate),
            Map.entry("swarm-rollback", (f, at) -> new SwarmRollbackStep(at.required(f, "services").strings())),
            Map.entry("swarm-job", (f, at) -> new SwarmJobStep(at.required(f, "service").string(), at.required(f, "command").strings())),
            // release and secrets (docs/release-and-secrets.md)
            Map.entry("release-tag", (f, at) -> new ReleaseTagStep(at.required(f, "tag").string(),
                    f.containsKey("images") ? f.get("images").strings() : List.of())),
            Map.entry("rotate-secret", (f, at) -> new RotateSecretStep(at.required(f, "name").string(),
                    f.containsKey("leaked") && f.get("leaked").bool(),
                    f.containsKey("wait") ? duration(f.get("wait")) : Duration.ofMinutes(10))));

    /** The fields each step kind accepts (besides the common ones). */
    private static final Map<String, Set<String>> FIELDS = Map.ofEntries(
            Map.entry("pin", Set.of("services", "tag")),
            Map.entry("pull", Set.of("services", "tag")),
            Map.entry("run", Set.of("service", "command")),
            Map.entry("up", Set.of("services", "remove-orphans")),
            Map.entry("restart", Set.of("services")),
            Map.entry("prune", Set.of()),
            Map.entry("http-check", Set.of("url", "service", "port", "path", "expect-status", "expect-body", "retries",
                    "interval", "request-timeout")),
            Map.entry("exec", Set.of("service", "command")),
            Map.entry("logs", Set.of("services", "tail")),
            Map.entry("ps", Set.of()),
            Map.entry("wait-healthy", Set.of("services")),
            Map.entry("choice", Set.of("question", "options", "wait", "default")),
            Map.entry("swarm-update", Set.of("services", "parallelism", "delay", "failure-action", "monitor")),
            Map.entry("swarm-rollback", Set.of("services")),
            Map.entry("swarm-job", Set.of("service", "command")),
            Map.entry("release-tag", Set.of("tag", "images")),
            Map.entry("rotate-secret", Set.of("name", "leaked", "wait")));

    @FunctionalInterface
    private interface StepParser {
        Step parse(Map<String, YamlNode> fields, YamlNode at);
    }

    public Runbook load(Path file) {
        Node root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new LoaderOptions()).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
            throw new RunbookException(file, line, "not valid YAML: " + e.getProblem());
        } catch (IOException e) {
            throw new RunbookException(file, 1, "cannot read: " + e.getMessage());
        }
        if (root == null) throw new RunbookException(file, 1, "the file is empty");
        YamlNode top = new YamlNode(root, file);
        Map<String, YamlNode> m = top.map(TOP);

        String name = top.required(m, "name").string();
        if (!NAME.matcher(name).matches()) {
            throw m.get("name").error("name '" + name + "' must be lower case letters, digits and dashes");
        }
        List<Parameter> params = new ArrayList<>();
        Set<String> paramNames = new HashSet<>();
        if (m.containsKey("params")) {
            for (YamlNode p : m.get("params").list()) {
                Parameter param = parameter(p);
                if (!paramNames.add(param.name())) throw p.error("parameter " + param.name() + " is declared twice");
                params.add(param);
            }
        }
        List<Step> steps = steps(top.required(m, "steps"));
        if (steps.isEmpty()) throw m.get("steps").error("a runbook needs at least one step");
        checkPlaceholders(m.get("steps"), paramNames);

        boolean offerRollback = false;
        if (m.containsKey("on-failure")) {
            String policy = m.get("on-failure").string();
            if (!policy.equals("offer-rollback") && !policy.equals("stop")) {
                throw m.get("on-failure").error("on-failure must be offer-rollback or stop");
            }
            offerRollback = policy.equals("offer-rollback");
        }
        return new Runbook(name,
                m.containsKey("summary") ? m.get("summary").string() : "",
                m.containsKey("usage") ? m.get("usage").string() : null,
                m.containsKey("mutates") && m.get("mutates").bool(),
                m.containsKey("step-timeout") ? duration(m.get("step-timeout")) : Duration.ofMinutes(5),
                params, steps, offerRollback,
                m.containsKey("role") ? m.get("role").string() : null,
                m.containsKey("channels") ? m.get("channels").strings() : List.of(),
                m.containsKey("approval") ? approval(m.get("approval")) : null,
                file);
    }

    private static Approval approval(YamlNode node) {
        Map<String, YamlNode> a = node.map(APPROVAL);
        return new Approval(a.containsKey("approvers") ? a.get("approvers").integer() : 1,
                a.containsKey("role") ? a.get("role").string() : null,
                a.containsKey("self-approve") && a.get("self-approve").bool(),
                a.containsKey("expires") ? duration(a.get("expires")) : null);
    }

    private Parameter parameter(YamlNode node) {
        Map<String, YamlNode> p = node.map(PARAM);
        String name = node.required(p, "name").string();
        String kindText = p.containsKey("kind") ? p.get("kind").string() : "pattern";
        ParamKind kind;
        try {
            kind = ParamKind.valueOf(kindText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw p.get("kind").error("unknown parameter kind '" + kindText + "' (tag, service, enum, pattern, int)");
        }
        Pattern pattern = null;
        if (kind == ParamKind.PATTERN) {
            String regex = node.required(p, "pattern").string();
            try {
                pattern = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw p.get("pattern").error("pattern is not a valid regular expression: " + e.getDescription());
            }
        }
        List<String> values = List.of();
        if (kind == ParamKind.ENUM) values = node.required(p, "values").strings();
        if (kind == ParamKind.SERVICE && p.containsKey("of")) values = p.get("of").strings();
        String def = p.containsKey("default") ? p.get("default").string() : null;
        String defaultFrom = null;
        if (p.containsKey("default-from")) {
            defaultFrom = p.get("default-from").string();
            if (!defaultFrom.equals(Parameter.LAST_KNOWN_GOOD)) {
                throw p.get("default-from").error("default-from must be " + Parameter.LAST_KNOWN_GOOD);
            }
        }
        boolean required = p.containsKey("required") ? p.get("required").bool() : def == null && defaultFrom == null;
        return new Parameter(name, kind, required, def, p.containsKey("flag") && p.get("flag").bool(), values, pattern,
                p.containsKey("min") ? p.get("min").integer() : Integer.MIN_VALUE,
                p.containsKey("max") ? p.get("max").integer() : Integer.MAX_VALUE,
                p.containsKey("help") ? p.get("help").string() : "", defaultFrom);
    }

    private List<Step> steps(YamlNode list) {
        List<Step> steps = new ArrayList<>();
        for (YamlNode item : list.list()) steps.add(step(item));
        return steps;
    }

    private Step step(YamlNode item) {
        Map<String, YamlNode> entries = item.map();
        String kind = entries.keySet().stream().filter(k -> !COMMON.contains(k)).findFirst()
                .orElseThrow(() -> item.error("a step needs a kind (" + String.join(", ", new java.util.TreeSet<>(kinds.keySet())) + ")"));
        if (entries.keySet().stream().filter(k -> !COMMON.contains(k)).count() > 1) {
            throw item.error("a step has one kind; found " + entries.keySet());
        }
        StepParser parser = kinds.get(kind);
        if (parser == null) {
            String hint = kind.equals("shell") || kind.equals("command") || kind.equals("script")
                    ? " (free-form commands are not supported: use run or exec with a command list)" : "";
            throw entries.get(kind).error("unknown step kind '" + kind + "'" + hint + "; known: "
                    + String.join(", ", new java.util.TreeSet<>(kinds.keySet())));
        }
        YamlNode body = entries.get(kind);
        Step step = parser.parse(body.map(FIELDS.get(kind)), body);
        return new ConfiguredStep(step,
                entries.containsKey("title") ? entries.get("title").string() : null,
                entries.containsKey("timeout") ? duration(entries.get("timeout")) : null,
                entries.containsKey("continue-on-failure") && entries.get("continue-on-failure").bool());
    }

    private Step httpCheck(Map<String, YamlNode> f, YamlNode at) {
        String url = f.containsKey("url") ? f.get("url").string() : null;
        String service = f.containsKey("service") ? f.get("service").string() : null;
        if ((url == null) == (service == null)) throw at.error("http-check needs either url, or service with port and path");
        return new HttpCheckStep(url, service,
                service != null ? at.required(f, "port").integer() : 0,
                f.containsKey("path") ? f.get("path").string() : "/",
                f.containsKey("expect-status") ? f.get("expect-status").integer() : 200,
                f.containsKey("expect-body") ? f.get("expect-body").string() : null,
                f.containsKey("retries") ? Math.max(1, f.get("retries").integer()) : 10,
                f.containsKey("interval") ? duration(f.get("interval")) : Duration.ofSeconds(2),
                f.containsKey("request-timeout") ? duration(f.get("request-timeout")) : Duration.ofSeconds(5));
    }

    /** Without policy fields, each service's own update_config; with any, the runbook's policy (the rest defaulted). */
    private Step swarmUpdate(Map<String, YamlNode> f, YamlNode at) {
        List<String> services = f.containsKey("services") ? f.get("services").strings() : List.of();
        if (!f.containsKey("parallelism") && !f.containsKey("delay") && !f.containsKey("failure-action") && !f.containsKey("monitor")) {
            return new SwarmUpdateStep(services, null);
        }
        UpdatePolicy d = UpdatePolicy.DEFAULT;
        UpdatePolicy.FailureAction action = d.onFailure();
        if (f.containsKey("failure-action")) {
            String a = f.get("failure-action").string();
            action = switch (a) {
                case "rollback" -> UpdatePolicy.FailureAction.ROLLBACK;
                case "pause" -> UpdatePolicy.FailureAction.PAUSE;
                default -> throw f.get("failure-action").error("failure-action is rollback or pause, not '" + a + "'");
            };
        }
        int parallelism = f.containsKey("parallelism") ? f.get("parallelism").integer() : d.parallelism();
        if (parallelism < 0) throw f.get("parallelism").error("parallelism is 0 (all at once) or more");
        return new SwarmUpdateStep(services, new UpdatePolicy(parallelism,
                f.containsKey("delay") ? duration(f.get("delay")) : d.delay(), action,
                f.containsKey("monitor") ? duration(f.get("monitor")) : d.monitor()));
    }

    private Step choice(Map<String, YamlNode> f, YamlNode at) {
        List<ChoiceStep.Option> options = new ArrayList<>();
        for (YamlNode o : at.required(f, "options").list()) {
            Map<String, YamlNode> om = o.map(Set.of("label", "danger", "steps"));
            options.add(new ChoiceStep.Option(o.required(om, "label").string(),
                    om.containsKey("danger") && om.get("danger").bool(),
                    om.containsKey("steps") && !om.get("steps").isNull() ? steps(om.get("steps")) : List.of()));
        }
        if (options.size() < 2 || options.size() > 5) throw at.error("a choice needs 2 to 5 options");
        int fallback = -1;
        if (f.containsKey("default")) {
            String label = f.get("default").string();
            for (int i = 0; i < options.size(); i++) if (options.get(i).label().equals(label)) fallback = i;
            if (fallback < 0) throw f.get("default").error("default '" + label + "' is not one of the options");
        }
        return new ChoiceStep(at.required(f, "question").string(), options,
                f.containsKey("wait") ? duration(f.get("wait")) : Duration.ofMinutes(10), fallback);
    }

    private static Duration duration(YamlNode node) {
        try {
            return ComposeLoader.duration(node.string());
        } catch (RuntimeException e) {
            throw node.error(e.getMessage());
        }
    }

    /** Every ${name} in the steps must be a declared parameter: found now, not halfway through a deploy. */
    private static void checkPlaceholders(YamlNode node, Set<String> params) {
        if (node.isList()) {
            node.list().forEach(n -> checkPlaceholders(n, params));
        } else if (node.isMap()) {
            node.map().values().forEach(n -> checkPlaceholders(n, params));
        } else if (!node.isNull()) {
            for (String name : Template.names(node.string())) {
                if (!params.contains(name)) throw node.error("${" + name + "} is not a declared parameter");
            }
        }
    }
}
