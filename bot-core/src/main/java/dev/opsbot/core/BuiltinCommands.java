package dev.opsbot.core;

import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.command.Invocation;
import dev.opsbot.core.command.Suggestions;
import dev.opsbot.core.command.UsageException;
import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.chat.Durations;
import dev.opsbot.core.engine.RunEngine;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.runbook.ArgumentBinder;
import dev.opsbot.core.runbook.Runbook;
import dev.opsbot.core.runbook.RunbookCatalog;
import dev.opsbot.core.runbook.RunbookException;
import dev.opsbot.core.runbook.steps.PsStep;
import dev.opsbot.core.store.DeployRecord;
import dev.opsbot.core.store.DeployStore;
import dev.opsbot.core.store.RunRecord;
import dev.opsbot.core.store.RunStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The verbs every bot has, whatever its runbooks: help, ps, logs, history, cancel. */
final class BuiltinCommands {
    static final List<String> VERBS = List.of("help", "ps", "logs", "history", "cancel", "unlock", "audit", "alerts", "mute");
    /** Verbs whose answer concerns only the person who asked. */
    static final Set<String> PRIVATE = Set.of("help", "cancel");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final Duration DOCKER_TIMEOUT = Duration.ofSeconds(20);

    private final Stack stack;
    private final DockerHost docker;
    private final RunbookCatalog catalog;
    private final RunStore runs;
    private final DeployStore deploys;
    private final RunEngine engine;

    private final dev.opsbot.core.store.LockStore locks;
    private final dev.opsbot.core.store.AuditLog audit;
    private final dev.opsbot.core.access.AccessPolicy access;

    BuiltinCommands(Stack stack, DockerHost docker, RunbookCatalog catalog, RunStore runs, DeployStore deploys, RunEngine engine,
                    dev.opsbot.core.store.LockStore locks, dev.opsbot.core.store.AuditLog audit, dev.opsbot.core.access.AccessPolicy access) {
        this.locks = locks;
        this.audit = audit;
        this.access = access;
        this.stack = stack;
        this.docker = docker;
        this.catalog = catalog;
        this.runs = runs;
        this.deploys = deploys;
        this.engine = engine;
    }

    /** The role a built-in needs (null: anyone); cancel also lets the requester stop their own run. */
    static String roleFor(String verb) {
        return switch (verb) {
            case "help" -> null;
            case "unlock", "audit" -> dev.opsbot.core.access.AccessPolicy.ADMIN;
            case "cancel", "mute" -> dev.opsbot.core.access.AccessPolicy.DEPLOYER;
            default -> dev.opsbot.core.access.AccessPolicy.VIEWER;
        };
    }

    /** The answer to a built-in verb, or empty when the verb is not a built-in. */
    Optional<Message> handle(Invocation inv, Origin origin) {
        return Optional.ofNullable(switch (inv.verb()) {
            case "help" -> help(inv);
            case "ps" -> ps(inv);
            case "logs" -> logs(inv);
            case "history" -> history(inv);
            case "cancel" -> cancel(inv, origin);
            case "unlock" -> unlock(inv, origin);
            case "audit" -> audit(inv);
            case "alerts", "mute" -> alertCommand(inv, origin);
            default -> null;
        });
    }

    private Message help(Invocation inv) {
        if (!inv.args().isEmpty()) {
            String verb = inv.args().get(0);
            Optional<Runbook> rb = catalog.find(verb);
            if (rb.isPresent()) {
                Message.Builder b = Message.builder(Tone.INFO, rb.get().usageLine()).line(rb.get().summary());
                ArgumentBinder.describe(rb.get()).forEach(b::line);
                if (rb.get().mutates()) b.line("Asks for confirmation before it changes anything.");
                return b.build();
            }
            String usage = builtinUsage(verb);
            if (usage == null) {
                List<String> known = new ArrayList<>(VERBS);
                known.addAll(catalog.all().keySet());
                String hint = Suggestions.closest(verb, known).map(s -> " Did you mean " + s + "?").orElse("");
                throw new UsageException("There is no command '" + verb + "'." + hint, "/ops help");
            }
            return Message.of(Tone.INFO, usage, builtinSummary(verb));
        }
        Message.Builder b = Message.builder(Tone.INFO, "opsbot commands");
        for (Runbook r : catalog.all().values()) b.line(r.usageLine() + " — " + r.summary());
        for (String v : VERBS) b.line(builtinUsage(v) + " — " + builtinSummary(v));
        // Answered in front of the bots (dev.opsbot.core.env.Environments), whatever the environment.
        b.line(builtinUsage("envs") + " — " + builtinSummary("envs"));
        List<RunbookException> problems = catalog.problems();
        if (!problems.isEmpty()) {
            b.line("Not loaded (fix and they reload): " + String.join("; ", problems.stream().map(RuntimeException::getMessage).toList()));
        }
        return b.context("/ops help <command> for details").build();
    }

    private static String builtinUsage(String verb) {
        return switch (verb) {
            case "help" -> "/ops help [command]";
            case "ps" -> "/ops ps";
            case "logs" -> "/ops logs <service> [--tail N]";
            case "history" -> "/ops history [service]";
            case "cancel" -> "/ops cancel <run>";
            case "unlock" -> "/ops unlock --force";
            case "audit" -> "/ops audit [N]";
            case "alerts" -> dev.opsbot.core.health.AlertCommands.ALERTS_USAGE;
            case "mute" -> dev.opsbot.core.health.AlertCommands.MUTE_USAGE;
            case "envs" -> "/ops envs";
            default -> null;
        };
    }

    private static String builtinSummary(String verb) {
        return switch (verb) {
            case "help" -> "this list, or the details of one command";
            case "ps" -> "the stack's containers: image, state, health";
            case "logs" -> "the last lines of a service's log (default 50, at most 500)";
            case "history" -> "recent runs and deploys (tag before and after, who, outcome)";
            case "cancel" -> "stop a run before its next step (the requester or an admin)";
            case "unlock" -> "clear the stack's lock left by a run that died (admin)";
            case "envs" -> "the environments, their Docker engines and health at a glance; add --env NAME to any command";
            case "audit" -> "the last N audit rows, default 20 (admin)";
            case "alerts" -> "open health alerts and muted services";
            case "mute" -> "no new alerts about a service for a while, e.g. 30m (deployer)";
            default -> "";
        };
    }

    private Message ps(Invocation inv) {
        noArgs(inv, 0);
        ComposeProject project = stack.load();
        List<String> lines = new PsStep.PsTable(docker.ps(project)).lines();
        return Message.builder(Tone.INFO, "Containers of " + stack.name()).code(String.join("\n", lines))
                .context("compose project " + project.name()).build();
    }

    private Message logs(Invocation inv) {
        String usage = builtinUsage("logs");
        if (inv.args().size() != 1) throw new UsageException("Name one service.", usage);
        for (String flag : inv.flags().keySet()) {
            if (!flag.equals("tail")) throw new UsageException("Unknown option --" + flag + ".", usage);
        }
        int tail = 50;
        if (inv.flags().containsKey("tail")) {
            try {
                tail = Integer.parseInt(inv.flags().get("tail"));
            } catch (NumberFormatException e) {
                throw new UsageException("--tail must be a number.", usage);
            }
            if (tail < 1 || tail > 500) throw new UsageException("--tail must be between 1 and 500.", usage);
        }
        ComposeProject project = stack.load();
        String service = inv.args().get(0);
        if (project.service(service).isEmpty()) {
            String hint = Suggestions.closest(service, project.services().keySet()).map(s -> " Did you mean " + s + "?").orElse("");
            throw new UsageException("There is no service '" + service + "'." + hint + " Services: "
                    + String.join(", ", project.services().keySet()) + ".", usage);
        }
        StringBuilder out = new StringBuilder();
        docker.logs(project, service, tail, out::append, DOCKER_TIMEOUT);
        String text = out.toString().stripTrailing();
        return Message.builder(Tone.INFO, "Last " + tail + " lines of " + service)
                .code(text.isEmpty() ? "(no output)" : text).build();
    }

    private Message history(Invocation inv) {
        String service = inv.args().isEmpty() ? null : inv.args().get(0);
        if (inv.args().size() > 1) throw new UsageException("Name at most one service.", builtinUsage("history"));
        Message.Builder b = Message.builder(Tone.INFO, "History of " + stack.name() + (service == null ? "" : " · " + service));
        List<String> lines = new ArrayList<>();
        for (DeployRecord d : deploys.recent(stack.name(), service, 15)) {
            lines.add(WHEN.format(d.at()) + "  run #" + d.runId() + "  " + d.service() + " " + d.tagBefore() + " -> " + d.tagAfter()
                    + "  " + d.outcome() + (d.healthVerified() ? ", health verified" : "") + "  by " + user(d.requestedBy())
                    + (d.approvedBy() == null ? "" : ", confirmed by " + d.approvedBy()));
        }
        if (lines.isEmpty()) lines.add("No deploys yet" + (service == null ? "." : " of " + service + "."));
        if (service == null) {
            lines.add("");
            lines.add("Recent runs:");
            for (RunRecord r : runs.recent(10)) {
                lines.add(WHEN.format(r.startedAt()) + "  #" + r.id() + "  " + r.invocation() + "  " + r.status().name().toLowerCase()
                        + "  by " + user(r.requestedBy()));
            }
        }
        return b.code(String.join("\n", lines).strip().isEmpty() ? "nothing yet" : String.join("\n", lines)).build();
    }

    private static String user(String key) {
        return key.replaceFirst("^[^:]*:", "");
    }

    private Message cancel(Invocation inv, Origin origin) {
        String usage = builtinUsage("cancel");
        if (inv.args().size() != 1) throw new UsageException("Name the run to cancel (its number).", usage);
        long id;
        try {
            id = Long.parseLong(inv.args().get(0).replaceFirst("^#", ""));
        } catch (NumberFormatException e) {
            throw new UsageException("'" + inv.args().get(0) + "' is not a run number.", usage);
        }
        Optional<RunEngine.ActiveRunView> run = engine.active(id);
        if (run.isEmpty()) {
            throw new UsageException("Run #" + id + " is not running." + (engine.activeRuns().isEmpty() ? " No run is."
                    : " Running: " + String.join(", ", engine.activeRuns().stream().map(r -> "#" + r.id() + " " + r.invocation()).toList())), usage);
        }
        if (!run.get().requesterKey().equals(origin.user().key()) && !access.has(origin.user(), dev.opsbot.core.access.AccessPolicy.ADMIN)) {
            throw new dev.opsbot.core.access.AccessDeniedException("Only " + run.get().requestedBy()
                    + " (who started run #" + id + ") or an admin can cancel it.");
        }
        engine.cancel(id, origin.user().name());
        return Message.of(Tone.INFO, "Cancelling run #" + id, "It stops before its next step (running for "
                + Durations.human(Duration.between(run.get().since(), Instant.now())) + ", now at " + run.get().step() + ").");
    }

    private Message unlock(Invocation inv, Origin origin) {
        if (!inv.args().isEmpty() || !inv.flags().keySet().equals(Set.of("force"))) {
            throw new UsageException("Type /ops unlock --force: it clears the lock even if a run still holds it.", builtinUsage("unlock"));
        }
        var held = locks.held(stack.name());
        if (held.isEmpty()) return Message.of(Tone.INFO, "The stack " + stack.name() + " is not locked", "Nothing to clear.");
        if (engine.active(held.get().runId()).isPresent()) {
            throw new dev.opsbot.core.access.AccessDeniedException("Run #" + held.get().runId() + " is still running in this bot: "
                    + "/ops cancel " + held.get().runId() + " instead.");
        }
        locks.forceRelease(stack.name());
        audit.append(origin.user().key(), origin.channel().toString(), "unlock", "run #" + held.get().runId() + " " + held.get().what(), "forced");
        return Message.of(Tone.WARNING, "Unlocked " + stack.name(), origin.user().name() + " cleared the lock of run #"
                + held.get().runId() + " (" + held.get().what() + ", " + user(held.get().holder()) + ").");
    }

    private Message audit(Invocation inv) {
        int n = 20;
        if (inv.args().size() > 1 || !inv.flags().isEmpty()) throw new UsageException("At most one number.", builtinUsage("audit"));
        if (inv.args().size() == 1) {
            try {
                n = Integer.parseInt(inv.args().get(0));
            } catch (NumberFormatException e) {
                throw new UsageException("'" + inv.args().get(0) + "' is not a number.", builtinUsage("audit"));
            }
            if (n < 1 || n > 200) throw new UsageException("N must be between 1 and 200.", builtinUsage("audit"));
        }
        List<String> lines = new ArrayList<>();
        for (var row : audit.recent(n)) {
            lines.add(WHEN.format(row.at()) + "  #" + row.id() + "  " + user(row.actor()) + "  " + row.action() + "  " + row.detail()
                    + "  → " + row.outcome());
        }
        java.util.Collections.reverse(lines);
        String verdict = audit.verify().map(v -> "Chain broken: " + v).orElse("Chain intact.");
        return Message.builder(Tone.INFO, "Last " + lines.size() + " audit rows").code(String.join("\n", lines)).context(verdict).build();
    }

    /** The health monitor's built-ins; null when no monitor runs. */
    private volatile dev.opsbot.core.health.AlertCommands alerts;

    void alerts(dev.opsbot.core.health.AlertCommands commands) {
        this.alerts = commands;
    }

    private Message alertCommand(Invocation inv, Origin origin) {
        if (alerts == null) {
            return Message.of(Tone.INFO, "Health alerts are off", "This bot does not watch " + stack.name() + "'s health (no monitor configured).");
        }
        if (inv.verb().equals("alerts")) {
            noArgs(inv, 0);
            return alerts.list();
        }
        if (!inv.flags().isEmpty()) throw new UsageException("mute takes no options.", dev.opsbot.core.health.AlertCommands.MUTE_USAGE);
        return alerts.mute(inv.args(), origin, stack.load().services().keySet());
    }

    private static void noArgs(Invocation inv, int max) {
        if (inv.args().size() > max || !inv.flags().isEmpty()) {
            throw new UsageException("This command takes no arguments.", "/ops " + inv.verb());
        }
    }
}
