package dev.opsbot.core.flow;

import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.StepBody;
import dev.opsbot.core.runbook.StepContext;
import dev.opsbot.core.runbook.StepFields;
import dev.opsbot.core.runbook.StepKind;
import dev.opsbot.core.runbook.Template;

/**
 * {@code echo}: writes its text, parameters filled in, to the run's output. Not a kind the core
 * ships: it is added by this one file and a line in META-INF/services, as a jar beside the bot would.
 */
public record EchoStep(String text) implements Step {

    /** {@code echo: {text: "..."}} in a runbook. */
    public static final class Kind implements StepKind {
        @Override
        public String key() {
            return "echo";
        }

        @Override
        public StepFields fields() {
            return StepFields.required("text");
        }

        @Override
        public Step build(StepBody body) {
            return new EchoStep(body.string("text"));
        }
    }

    @Override
    public String title(Template t) {
        return "echo " + t.apply(text);
    }

    @Override
    public void run(StepContext ctx) {
        ctx.out().line(ctx.template().apply(text));
    }
}
