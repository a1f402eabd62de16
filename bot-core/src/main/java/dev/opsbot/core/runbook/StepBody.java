package dev.opsbot.core.runbook;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The fields of one step as a runbook wrote them, checked against its kind's {@link StepFields}
 * (no unknown field, every required one given). The getters without a fallback treat the field
 * as required; every complaint names the file and line.
 */
public final class StepBody {
    private final StepKind kind;
    private final Set<String> accepted;
    private final YamlNode node;
    private final Map<String, YamlNode> fields;
    private final Function<YamlNode, List<Step>> nestedSteps;

    private StepBody(StepKind kind, Set<String> accepted, YamlNode node, Map<String, YamlNode> fields,
                     Function<YamlNode, List<Step>> nestedSteps) {
        this.kind = kind;
        this.accepted = accepted;
        this.node = node;
        this.fields = fields;
        this.nestedSteps = nestedSteps;
    }

    /** Reads {@code node} as the body of a {@code kind} step; {@code nestedSteps} reads a list of steps inside it. */
    static StepBody read(StepKind kind, YamlNode node, Function<YamlNode, List<Step>> nestedSteps) {
        StepFields declared = kind.fields();
        Set<String> accepted = declared.accepted();
        Map<String, YamlNode> fields = node.map(accepted);
        for (String name : declared.required()) node.required(fields, name);
        return new StepBody(kind, accepted, node, fields, nestedSteps);
    }

    /** Whether the runbook gives the field. */
    public boolean has(String field) {
        return fields.containsKey(declared(field));
    }

    /** The field's node, for checks of its own; a missing field is reported as required. */
    public YamlNode node(String field) {
        return node.required(fields, declared(field));
    }

    public String string(String field) {
        return node(field).string();
    }

    public String string(String field, String otherwise) {
        return has(field) ? string(field) : otherwise;
    }

    /** A list of texts; a single text counts as a list of one. */
    public List<String> strings(String field) {
        return node(field).strings();
    }

    public List<String> strings(String field, List<String> otherwise) {
        return has(field) ? strings(field) : otherwise;
    }

    public int integer(String field) {
        return node(field).integer();
    }

    public int integer(String field, int otherwise) {
        return has(field) ? integer(field) : otherwise;
    }

    public boolean bool(String field, boolean otherwise) {
        return has(field) ? node(field).bool() : otherwise;
    }

    public Duration duration(String field, Duration otherwise) {
        return has(field) ? node(field).duration() : otherwise;
    }

    /** Steps nested in this one (a choice's branches), read like the runbook's own. */
    public List<Step> steps(YamlNode list) {
        return nestedSteps.apply(list);
    }

    /** A complaint about the step as a whole, at its line. */
    public RunbookException error(String problem) {
        return node.error(problem);
    }

    /** A kind reading a field it does not declare is a mistake in the kind, not in the runbook. */
    private String declared(String field) {
        if (!accepted.contains(field)) {
            throw new IllegalStateException("step kind '" + kind.key() + "' (" + kind.getClass().getName()
                    + ") reads the field '" + field + "' it does not declare");
        }
        return field;
    }
}
