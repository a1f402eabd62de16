package dev.opsbot.core.builtin;

import dev.opsbot.core.access.AccessDeniedException;
import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.chat.Durations;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.command.CommandSpec;
import dev.opsbot.core.command.CommandSpec.Option;
import dev.opsbot.core.command.CommandSpec.Placement;
import dev.opsbot.core.command.Invocation;
import dev.opsbot.core.command.UsageException;
import dev.opsbot.core.engine.RunEngine;
import dev.opsbot.core.store.RunRecord;
import dev.opsbot.core.store.RunStatus;
import dev.opsbot.core.store.RunStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code /ops cancel <run>}: stops a run before its next step; its requester or an admin may. A run
 * on another replica gets the request through its row in the database, read there within a second.
 */
public final class Cancel implements BuiltinCommand {
    private static final String USAGE = "/ops cancel <run>";
    private static final CommandSpec SPEC = new CommandSpec("cancel", "stop a run before its next step (the requester or an admin)", USAGE,
            List.of(Option.text("run", "The run number", true, Placement.ARGUMENT)));

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public String role() {
        return AccessPolicy.DEPLOYER;
    }

    @Override
    public boolean answersPrivately() {
        return true;
    }

    @Override
    public Message handle(Invocation inv, Origin origin, BuiltinContext context) {
        if (inv.args().size() != 1) throw new UsageException("Name the run to cancel (its number).", USAGE);
        long id;
        try {
            id = Long.parseLong(inv.args().get(0).replaceFirst("^#", ""));
        } catch (NumberFormatException e) {
            throw new UsageException("'" + inv.args().get(0) + "' is not a run number.", USAGE);
        }
        RunEngine engine = context.engine();
        Optional<RunEngine.ActiveRunView> run = engine.active(id);
        if (run.isEmpty()) return onAnotherReplica(id, origin, context);
        mayCancel(run.get().requesterKey(), run.get().requestedBy(), id, origin, context);
        engine.cancel(id, origin.user().name());
        return Message.of(Tone.INFO, "Cancelling run #" + id, "It stops before its next step (running for "
                + Durations.human(Duration.between(run.get().since(), Instant.now())) + ", now at " + run.get().step() + ").");
    }

    private Message onAnotherReplica(long id, Origin origin, BuiltinContext context) {
        RunStore runs = context.services().runs();
        RunRecord run = runs.find(id).filter(r -> r.status() == RunStatus.RUNNING && r.owner() != null
                && !r.owner().equals(context.services().replica().id())).orElseThrow(() -> notRunning(id, context.engine()));
        String requester = run.requestedBy().replaceFirst("^[^:]*:", "");
        mayCancel(run.requestedBy(), requester, id, origin, context);
        if (!runs.requestCancel(id, origin.user().name())) throw notRunning(id, context.engine());
        return Message.of(Tone.INFO, "Cancelling run #" + id, "It stops before its next step (running for "
                + Durations.human(Duration.between(run.startedAt(), Instant.now())) + " on replica " + run.owner() + ").");
    }

    private static void mayCancel(String requesterKey, String requester, long id, Origin origin, BuiltinContext context) {
        if (!requesterKey.equals(origin.user().key()) && !context.access().has(origin.user(), AccessPolicy.ADMIN)) {
            throw new AccessDeniedException("Only " + requester + " (who started run #" + id + ") or an admin can cancel it.");
        }
    }

    private static UsageException notRunning(long id, RunEngine engine) {
        return new UsageException("Run #" + id + " is not running." + (engine.activeRuns().isEmpty() ? " No run is."
                : " Running: " + String.join(", ", engine.activeRuns().stream().map(r -> "#" + r.id() + " " + r.invocation()).toList())), USAGE);
    }
}
