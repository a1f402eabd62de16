package dev.opsbot.core.runbook;

import dev.opsbot.core.command.UsageException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
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
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.reader.ReaderException;

/** Reads one runbook YAML file, checking everything it can before the runbook is ever run. */
public final class RunbookLoader {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");
    private static final Set<String> TOP = Set.of("name", "summary", "usage", "mutates", "step-timeout", "params",
            "steps", "on-failure", "role", "channels", "approval");
    private static final Set<String> APPROVAL = Set.of("approvers", "role", "self-approve", "expires");
    private static final Set<String> PARAM = Set.of("name", "kind", "required", "default", "flag", "values", "of",
            "pattern", "min", "max", "help", "default-from");

    private final StepKinds kinds;

    /** A loader for the step kinds on the class path (see {@link StepKinds#discovered()}). */
    public RunbookLoader() {
        this(StepKinds.discovered());
    }

    public RunbookLoader(StepKinds kinds) {
        this.kinds = kinds;
    }

    public Runbook load(Path file) {
        Node root = compose(file);
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
        Set<String> alwaysGiven = new HashSet<>();
        params.stream().filter(p -> p.required() || p.defaultValue() != null || p.defaultFrom() != null).forEach(p -> alwaysGiven.add(p.name()));
        checkPlaceholders(m.get("steps"), paramNames, alwaysGiven);

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
                m.containsKey("step-timeout") ? m.get("step-timeout").duration() : Duration.ofMinutes(5),
                params, steps, offerRollback,
                m.containsKey("role") ? m.get("role").string() : null,
                m.containsKey("channels") ? m.get("channels").strings() : List.of(),
                m.containsKey("approval") ? approval(m.get("approval")) : null,
                file);
    }

    /** The file as YAML nodes; whatever YAML cannot read is said with the file and, where YAML knows it, the line. */
    private static Node compose(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new RunbookException(file, 1, "is not UTF-8 text");
        } catch (IOException e) {
            throw new RunbookException(file, 1, "cannot read: " + e.getMessage());
        }
        try {
            return new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
            throw new RunbookException(file, line, "not valid YAML: " + e.getProblem());
        } catch (ReaderException e) {
            int line = 1 + (int) text.codePoints().limit(e.getPosition()).filter(c -> c == '\n').count();
            throw new RunbookException(file, line, String.format("holds a character YAML does not allow (U+%04X)", e.getCodePoint()));
        } catch (YAMLException e) {
            // Too many aliases, too deep: limits that protect the bot, with no line to point at.
            throw new RunbookException(file, 1, "not valid YAML: " + e.getMessage());
        }
    }

    private static Approval approval(YamlNode node) {
        Map<String, YamlNode> a = node.map(APPROVAL);
        return new Approval(a.containsKey("approvers") ? a.get("approvers").integer() : 1,
                a.containsKey("role") ? a.get("role").string() : null,
                a.containsKey("self-approve") && a.get("self-approve").bool(),
                a.containsKey("expires") ? a.get("expires").duration() : null);
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
        int min = p.containsKey("min") ? p.get("min").integer() : Integer.MIN_VALUE;
        int max = p.containsKey("max") ? p.get("max").integer() : Integer.MAX_VALUE;
        if (min > max) throw p.get("min").error("min " + min + " is above max " + max + ": no number would do");
        if (kind == ParamKind.ENUM && values.isEmpty()) throw p.get("values").error("an enum needs at least one value");
        boolean required = p.containsKey("required") ? p.get("required").bool() : def == null && defaultFrom == null;
        Parameter param = new Parameter(name, kind, required, def, p.containsKey("flag") && p.get("flag").bool(), values, pattern,
                min, max, p.containsKey("help") ? p.get("help").string() : "", defaultFrom);
        return def == null ? param : checkedDefault(param, p.get("default"));
    }

    /** A default is checked as if it were typed: a runbook cannot hand its steps a value nobody could type. */
    private static Parameter checkedDefault(Parameter p, YamlNode node) {
        // The stack's services are known only when a command comes.
        if (p.kind() == ParamKind.SERVICE && p.values().isEmpty()) return p;
        try {
            return p.withDefault(new ArgumentBinder().accepted(p, p.defaultValue()));
        } catch (UsageException e) {
            throw node.error("the default does not fit: " + e.getMessage());
        }
    }

    private List<Step> steps(YamlNode list) {
        List<Step> steps = new ArrayList<>();
        for (YamlNode item : list.list()) steps.add(step(item));
        return steps;
    }

    private Step step(YamlNode item) {
        Map<String, YamlNode> entries = item.map();
        List<String> kindKeys = entries.keySet().stream().filter(k -> !ConfiguredStep.KEYS.contains(k)).toList();
        if (kindKeys.isEmpty()) throw item.error("a step needs a kind (" + String.join(", ", kinds.keys()) + ")");
        if (kindKeys.size() > 1) throw item.error("a step has one kind; found " + entries.keySet());
        String key = kindKeys.get(0);
        YamlNode body = entries.get(key);
        StepKind kind = kinds.find(key).orElseThrow(() -> {
            String hint = key.equals("shell") || key.equals("command") || key.equals("script")
                    ? " (free-form commands are not supported: use run or exec with a command list)" : "";
            return body.error("unknown step kind '" + key + "'" + hint + "; known: " + String.join(", ", kinds.keys()));
        });
        return new ConfiguredStep(key, build(kind, body),
                entries.containsKey("title") ? entries.get("title").string() : null,
                entries.containsKey("timeout") ? entries.get("timeout").duration() : null,
                entries.containsKey("continue-on-failure") && entries.get("continue-on-failure").bool());
    }

    /** A kind that trips over a runbook is reported as that runbook's problem, so the other runbooks stay served. */
    private Step build(StepKind kind, YamlNode body) {
        try {
            return kind.build(StepBody.read(kind, body, this::steps));
        } catch (RunbookException e) {
            throw e;
        } catch (RuntimeException e) {
            throw body.error("step kind '" + kind.key() + "' (" + kind.getClass().getName() + ") could not read this step: " + e);
        }
    }

    /**
     * Every ${name} in the steps must be a declared parameter that always has a value (required,
     * or with a default): found now, not halfway through a deploy.
     */
    private static void checkPlaceholders(YamlNode node, Set<String> params, Set<String> alwaysGiven) {
        if (node.isList()) {
            node.list().forEach(n -> checkPlaceholders(n, params, alwaysGiven));
        } else if (node.isMap()) {
            node.map().values().forEach(n -> checkPlaceholders(n, params, alwaysGiven));
        } else if (!node.isNull()) {
            for (String name : Template.names(node.string())) {
                if (!params.contains(name)) throw node.error("${" + name + "} is not a declared parameter");
                if (!alwaysGiven.contains(name)) {
                    throw node.error("${" + name + "} may be left out (not required, no default): make it required or give it a default");
                }
            }
        }
    }
}
