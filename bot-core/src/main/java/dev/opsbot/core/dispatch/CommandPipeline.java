package dev.opsbot.core.dispatch;

import dev.opsbot.core.access.AccessDeniedException;
import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.access.RateLimiter;
import dev.opsbot.core.builtin.BuiltinCommand;
import dev.opsbot.core.builtin.BuiltinCommands;
import dev.opsbot.core.builtin.BuiltinContext;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.command.CommandParser;
import dev.opsbot.core.command.Invocation;
import dev.opsbot.core.command.Suggestions;
import dev.opsbot.core.command.UsageException;
import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.engine.LockMessages;
import dev.opsbot.core.engine.RunEngine;
import dev.opsbot.core.engine.RunRequest;
import dev.opsbot.core.engine.RunServices;
import dev.opsbot.core.press.Approvals;
import dev.opsbot.core.press.Confirmations;
import dev.opsbot.core.runbook.ArgumentBinder;
import dev.opsbot.core.runbook.Runbook;
import dev.opsbot.core.runbook.RunbookCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A typed command, from text to answer: audited as received, rate-limited, refused in direct
 * messages unless enabled and when it holds a secret, parsed, then answered by a built-in or
 * bound to a runbook's parameters and confirmed, sent for approval, or run. Each is counted by
 * verb and outcome ({@link CommandTally}).
 */
public final class CommandPipeline {
    private final RunServices services;
    private final RunbookCatalog catalog;
    private final RunEngine engine;
    private final AccessPolicy access;
    private final RateLimiter rateLimiter;
    private final PastedSecrets pastedSecrets;
    private final BuiltinCommands builtins;
    private final BuiltinContext builtinContext;
    private final Confirmations confirmations;
    private final Approvals approvals;
    private final CommandParser parser = new CommandParser();
    private final ArgumentBinder binder = new ArgumentBinder();
    private final SuggestedDefaults defaults;
    private final CommandTally tally;

    public CommandPipeline(RunServices services, RunbookCatalog catalog, RunEngine engine, AccessPolicy access, BuiltinContext builtins,
                           Confirmations confirmations, Approvals approvals, Duration offerTimeout, CommandTally tally) {
        this.services = services;
        this.catalog = catalog;
        this.engine = engine;
        this.access = access;
        this.rateLimiter = new RateLimiter(access.commandsPerMinute(), services.clock());
        this.pastedSecrets = new PastedSecrets(services, catalog, offerTimeout);
        this.builtins = builtins.commands();
        this.builtinContext = builtins;
        this.confirmations = confirmations;
        this.approvals = approvals;
        this.defaults = new SuggestedDefaults(services);
        this.tally = tally;
    }

    public void handle(Origin origin, String text) {
        // Parsed once, when first needed: by the pipeline once the command is audited, or by the tally.
        Memo<Invocation> parsed = new Memo<>(() -> parser.parse(text));
        try {
            tally.answered(parsed, answer(origin, text, parsed) ? CommandTally.OK : CommandTally.REFUSED);
        } catch (RuntimeException e) {
            tally.failed(parsed, e);
            throw e;
        }
    }

    /** Answers the command; false when it was refused without an exception (it held a secret). */
    private boolean answer(Origin origin, String text, Memo<Invocation> parsed) {
        String who = origin.user().key();
        services.audit().append(who, origin.channel().toString(), "command", "/ops " + text, "received");
        if (!rateLimiter.allow(who)) {
            throw new AccessDeniedException("Too many commands: at most " + access.commandsPerMinute()
                    + " a minute each. Nothing was queued; try again in a minute.");
        }
        if (origin.channel().direct() && !access.directMessages()) {
            throw new AccessDeniedException("Commands in direct messages are not enabled: use the ops channel.");
        }
        if (pastedSecrets.refused(origin, text)) return false;
        catalog.refreshWhenChanged();
        Invocation inv = parsed.get();
        BuiltinCommand builtin = builtins.find(inv.verb()).orElse(null);
        if (builtin != null) {
            builtin(origin, inv, builtin);
        } else {
            runbook(origin, inv, catalog.find(inv.verb()).orElseThrow(() -> unknownVerb(inv.verb())));
        }
        return true;
    }

    private void builtin(Origin origin, Invocation inv, BuiltinCommand builtin) {
        access.require(origin.user(), builtin.role(), "/ops " + inv.verb());
        Message answer = builtin.handle(inv, origin, builtinContext);
        if (builtin.answersPrivately()) {
            services.ports().whisper(origin, answer);
        } else {
            services.ports().of(origin.channel()).post(origin.channel(), answer);
        }
    }

    private void runbook(Origin origin, Invocation inv, Runbook runbook) {
        access.require(origin.user(), runbook.requiredRole(), "/ops " + runbook.name());
        if (!runbook.allowedIn(origin.channel())) {
            throw new AccessDeniedException("/ops " + runbook.name() + " runs only in " + String.join(", ", runbook.channels()) + ".");
        }
        catalog.brokenSince(runbook.name()).ifPresent(problem -> services.ports().whisper(origin, Message.of(Tone.WARNING,
                "Runbook file " + problem.file().getFileName() + " is broken",
                problem.getMessage() + "\nThis runs its last version that loaded; fix the file and it reloads.")));
        // The compose file is read at most once per command: for the services the binder checks, the defaults and the preview.
        Memo<ComposeProject> project = new Memo<>(services.stack()::load);
        Map<String, String> params = new LinkedHashMap<>(binder.bind(runbook, inv, () -> project.get().services().keySet()));
        String invocation = defaults.fill(runbook, params, inv, project);
        if (runbook.mutates()) {
            services.locks().held(services.stack().name()).ifPresent(lock -> {
                throw new AccessDeniedException(LockMessages.busy(lock));
            });
        }
        if (runbook.approval() != null) {
            approvals.ask(origin, runbook, params, invocation, project.get());
        } else if (runbook.mutates()) {
            confirmations.ask(origin, runbook, params, invocation, project.get());
        } else {
            engine.start(new RunRequest(runbook, params, invocation, origin, null));
        }
    }

    private UsageException unknownVerb(String verb) {
        List<String> known = new ArrayList<>(builtins.verbs());
        known.addAll(catalog.all().keySet());
        String hint = Suggestions.closest(verb, known).map(s -> " Did you mean " + s + "?").orElse("");
        return new UsageException("Unknown command '" + (verb.length() > 30 ? verb.substring(0, 30) + "…" : verb) + "'." + hint
                + " Type /ops help for the list.", "/ops help");
    }
}
