package dev.opsbot.core.runbook.steps;

import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.command.Suggestions;
import dev.opsbot.core.compose.EnvFile;
import dev.opsbot.core.docker.UpResult;
import dev.opsbot.core.runbook.Operations;
import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.StepBody;
import dev.opsbot.core.runbook.StepContext;
import dev.opsbot.core.runbook.StepFailedException;
import dev.opsbot.core.runbook.StepFields;
import dev.opsbot.core.runbook.StepKind;
import dev.opsbot.core.runbook.Template;
import dev.opsbot.core.secrets.EnvFileWriter;
import dev.opsbot.core.secrets.SecretGenerator;
import dev.opsbot.core.secrets.SecretPolicy;
import dev.opsbot.core.secrets.SecretUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code rotate-secret}: "How to rotate secrets" of the production runbook. A new value
 * (generated, or entered by the requester in a private form when another service issues it) is
 * written to {@code .env}, the services that read the variable are recreated and checked, and
 * the channel gets the new value's fingerprint and what is left to do by hand. With
 * {@code leaked: true} it is the response to a leaked secret ("If a secret is blocked or flagged").
 */
public record RotateSecretStep(String variable, boolean leaked, Duration formWait) implements Step {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    /** {@code rotate-secret} in a runbook. */
    public static final class Kind implements StepKind {
        @Override
        public String key() {
            return "rotate-secret";
        }

        @Override
        public StepFields fields() {
            return StepFields.required("name").withOptional("leaked", "wait");
        }

        @Override
        public Step build(StepBody body) {
            return new RotateSecretStep(body.string("name"), body.bool("leaked", false),
                    body.duration("wait", Duration.ofMinutes(10)));
        }
    }

    @Override
    public String title(Template t) {
        return (leaked ? "respond to leaked " : "rotate ") + t.apply(variable);
    }

    @Override
    public List<String> preview(StepContext ctx) {
        try {
            String name = ctx.template().apply(variable);
            SecretPolicy policy = ctx.operations().secrets().policy(name);
            Path env = ctx.operations().secrets().envFile(ctx.project().file());
            List<String> services = SecretUsage.services(ctx.project().file(), env, name);
            return List.of(name + ": " + (policy.external() ? "the new value is entered in a private form (Slack or Discord)"
                            : "a new value of " + policy.length() + " characters is generated") + ", written to " + env.getFileName(),
                    services.isEmpty() ? "no service reads " + name + ": nothing is recreated" : "recreated: " + String.join(", ", services));
        } catch (RuntimeException e) {
            return List.of("cannot tell what reads the variable: " + e.getMessage());
        }
    }

    /** It rewrites .env and applies it: not on a version of the stack's files someone else saved during the run. */
    @Override
    public boolean appliesStackFiles() {
        return true;
    }

    /** The services reading the variable are only known once .env is read: any of them may be recreated. */
    @Override
    public Set<String> touches(Template t, Set<String> stack) {
        return stack;
    }

    @Override
    public void run(StepContext ctx) throws Exception {
        Operations ops = ctx.operations();
        String name = ctx.template().apply(variable);
        if (!NAME.matcher(name).matches()) throw new StepFailedException("'" + name + "' is not a variable name");
        Path composeFile = ctx.project().file();
        Path env = ops.secrets().envFile(composeFile);
        if (!Files.isRegularFile(env)) throw new StepFailedException("there is no " + env + ": nothing to rotate");
        Map<String, String> current = EnvFile.read(env);
        if (!current.containsKey(name)) {
            String hint = Suggestions.closest(name, current.keySet()).map(s -> " Did you mean " + s + "?").orElse("");
            throw new StepFailedException(name + " is not in " + env + "." + hint + " Nothing was changed.");
        }
        SecretPolicy policy = ops.secrets().policy(name);
        List<String> services = SecretUsage.services(composeFile, env, name);
        ctx.out().line(services.isEmpty() ? "no service reads " + name : name + " is read by " + String.join(", ", services));

        String value;
        if (policy.external()) {
            ctx.out().line(name + " is issued by " + (policy.issuer().isEmpty() ? "another service" : policy.issuer())
                    + ": waiting for " + ops.requester() + " to enter the new value in a private form");
            var entered = ops.askSecret(name, formWait);
            if (entered.isEmpty()) {
                throw new StepFailedException("this platform has no private forms, and " + name + " must never be typed in a channel: "
                        + "run /ops " + (leaked ? "secret-leaked " : "rotate-secret ") + name
                        + " from Slack or Discord, or edit " + env + " on the host. Nothing was changed.");
            }
            value = entered.get();
            if (value.isEmpty()) throw new StepFailedException("no value was entered in time. Nothing was changed.");
            if (value.equals(current.get(name))) {
                throw new StepFailedException("the value entered is the current one: get a new one from "
                        + (policy.issuer().isEmpty() ? "its issuer" : policy.issuer()) + " first. Nothing was changed.");
            }
        } else {
            value = new SecretGenerator().generate(policy);
        }
        String before = SecretGenerator.fingerprint(current.get(name));
        String after = SecretGenerator.fingerprint(value);
        EnvFileWriter.Result written;
        // The form may have waited minutes: someone may have edited .env meanwhile.
        ctx.stackFiles().refuseOutsideEdits();
        try {
            written = new EnvFileWriter().set(env, name, value);
        } catch (IllegalArgumentException e) {
            throw new StepFailedException(e.getMessage() + ". Nothing was changed.");
        }
        ctx.stackFiles().wrote(env);
        ctx.out().line("wrote " + name + " to " + env.getFileName() + " (fingerprint " + before + " -> " + after + "); the previous file is "
                + written.previous().getFileName() + "; both owner-only (0600)");

        if (!services.isEmpty()) {
            UpResult up = ctx.docker().up(ctx.project(), services, false, ctx.out(), ctx.timeout());
            List<String> stale = new ArrayList<>(services);
            stale.removeAll(up.recreated());
            stale.removeAll(up.created());
            if (!stale.isEmpty()) {
                throw new StepFailedException(String.join(", ", stale) + " kept the old configuration although " + env.getFileName()
                        + " has the new value (is " + name + " set in the bot's own environment? it overrides .env). "
                        + "The new value is in " + env.getFileName() + "; the old one in " + written.previous().getFileName() + ".");
            }
            ctx.out().line("recreated " + String.join(", ", services) + " with the new value");
            new WaitHealthyStep(services).run(ctx);
            ctx.healthVerified();
        }
        ops.post(checklist(name, policy, services, before, after));
        ops.audit(leaked ? "secret.leaked" : "secret.rotate", name, "rotated: fingerprint " + before + " -> " + after
                + (services.isEmpty() ? "" : "; recreated " + String.join(", ", services)));
    }

    private Message checklist(String name, SecretPolicy policy, List<String> services, String before, String after) {
        String issuer = policy.issuer().isEmpty() ? "" : " (" + policy.issuer() + ")";
        Message.Builder b = Message.builder(Tone.SUCCESS, (leaked ? "Leaked " + name + " rotated" : name + " rotated") + ": fingerprint " + after)
                .line("The new value is in .env (fingerprint " + after + ", the old one was " + before + "); it is never shown.")
                .line(services.isEmpty() ? "No service reads " + name + "."
                        : "Read by " + String.join(", ", services) + ": recreated with the new value, health verified.")
                .line("")
                .line("Still to do by hand:")
                .line("☐ Invalidate the old value in the service that issued it" + issuer
                        + (policy.external() ? "" : ", if anything outside this stack accepted it"))
                .line("☐ Update CI secrets where they hold " + name + " (repository → Settings → Secrets)");
        if (leaked) {
            b.line("☐ If it was ever committed: remove it from git history (git filter-branch or BFG), or rely on the invalidation")
                    .line("☐ Audit where it was used: the services above, CI, every copy of .env");
        }
        return b.build();
    }
}
