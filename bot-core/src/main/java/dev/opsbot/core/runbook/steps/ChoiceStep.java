package dev.opsbot.core.runbook.steps;

import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.StepBody;
import dev.opsbot.core.runbook.StepContext;
import dev.opsbot.core.runbook.StepFields;
import dev.opsbot.core.runbook.StepKind;
import dev.opsbot.core.runbook.Template;
import dev.opsbot.core.runbook.YamlNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code choice}: asks the requester with buttons (Downgrade / Skip) and runs the chosen
 * option's steps. Without an answer in time the {@code default} option is taken.
 */
public record ChoiceStep(String question, List<Option> options, Duration answerWithin, int fallback) implements Step {

    /** One button and the steps it leads to. */
    public record Option(String label, boolean danger, List<Step> steps) { }

    /** {@code choice} in a runbook: 2 to 5 options, each a {@code label}, maybe {@code danger} and its {@code steps}. */
    public static final class Kind implements StepKind {
        private static final Set<String> OPTION = Set.of("label", "danger", "steps");

        @Override
        public String key() {
            return "choice";
        }

        @Override
        public StepFields fields() {
            return StepFields.required("question", "options").withOptional("wait", "default");
        }

        @Override
        public Step build(StepBody body) {
            List<Option> options = new ArrayList<>();
            for (YamlNode o : body.node("options").list()) {
                Map<String, YamlNode> om = o.map(OPTION);
                options.add(new Option(o.required(om, "label").string(),
                        om.containsKey("danger") && om.get("danger").bool(),
                        om.containsKey("steps") && !om.get("steps").isNull() ? body.steps(om.get("steps")) : List.of()));
            }
            if (options.size() < 2 || options.size() > 5) throw body.error("a choice needs 2 to 5 options");
            int fallback = -1;
            if (body.has("default")) {
                String label = body.string("default");
                for (int i = 0; i < options.size(); i++) if (options.get(i).label().equals(label)) fallback = i;
                if (fallback < 0) throw body.node("default").error("default '" + label + "' is not one of the options");
            }
            return new ChoiceStep(body.string("question"), options, body.duration("wait", Duration.ofMinutes(10)), fallback);
        }
    }

    @Override
    public String title(Template t) {
        return "ask: " + t.apply(question);
    }

    /** Whichever option is chosen. */
    @Override
    public Set<String> touches(Template t, Set<String> stack) {
        Set<String> all = new HashSet<>();
        for (Option o : options) o.steps().forEach(s -> all.addAll(s.touches(t, stack)));
        return all;
    }

    @Override
    public void run(StepContext ctx) throws Exception {
        int chosen = ctx.choose(ctx.template().apply(question), options.stream().map(Option::label).toList(),
                options.stream().map(Option::danger).toList(), answerWithin, fallback);
        Option option = options.get(chosen);
        ctx.out().line("chosen: " + option.label());
        ctx.runNested(option.steps());
    }
}
