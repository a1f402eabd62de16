package dev.opsbot.core.flow;

import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.StepBody;
import dev.opsbot.core.runbook.StepContext;
import dev.opsbot.core.runbook.StepFailedException;
import dev.opsbot.core.runbook.StepFields;
import dev.opsbot.core.runbook.StepKind;
import dev.opsbot.core.runbook.Template;
import dev.opsbot.core.secrets.SecretGenerator;
import java.time.Duration;

/**
 * {@code secret-form}: asks the requester for a value in a private form, as {@code rotate-secret}
 * does for a key another service issued, and writes only its fingerprint: the form's path without
 * an engine or a stack. Added for tests the way {@link EchoStep} is.
 */
public record SecretFormStep(String name) implements Step {

    /** {@code secret-form: {name: API_KEY}} in a runbook. */
    public static final class Kind implements StepKind {
        @Override
        public String key() {
            return "secret-form";
        }

        @Override
        public StepFields fields() {
            return StepFields.required("name");
        }

        @Override
        public Step build(StepBody body) {
            return new SecretFormStep(body.string("name"));
        }
    }

    @Override
    public String title(Template t) {
        return "ask for " + t.apply(name);
    }

    @Override
    public void run(StepContext ctx) throws Exception {
        String value = ctx.operations().askSecret(ctx.template().apply(name), Duration.ofMinutes(1))
                .orElseThrow(() -> new StepFailedException("this platform has no private forms"));
        ctx.out().line("received fingerprint " + SecretGenerator.fingerprint(value));
    }
}
