package dev.opsbot.core.builtin;

import dev.opsbot.core.access.AccessDeniedException;
import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.command.CommandSpec;
import dev.opsbot.core.command.Invocation;
import dev.opsbot.core.command.UsageException;
import dev.opsbot.core.store.LockStore;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code /ops unlock --force}: clears the stack's lock a run that died left behind (admin, audited). */
public final class Unlock implements BuiltinCommand {
    private static final String USAGE = "/ops unlock --force";
    private static final CommandSpec SPEC = new CommandSpec("unlock", "clear the stack's lock left by a run that died (admin)", USAGE, List.of());

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public String role() {
        return AccessPolicy.ADMIN;
    }

    /** A switch that clears a lock is typed on purpose, never picked from a menu. */
    @Override
    public boolean inMenus() {
        return false;
    }

    @Override
    public Message handle(Invocation inv, Origin origin, BuiltinContext context) {
        if (!inv.args().isEmpty() || !inv.flags().keySet().equals(Set.of("force"))) {
            throw new UsageException("Type /ops unlock --force: it clears the lock even if a run still holds it.", USAGE);
        }
        String stack = context.services().stack().name();
        Optional<LockStore.Lock> held = context.services().locks().held(stack);
        if (held.isEmpty()) return Message.of(Tone.INFO, "The stack " + stack + " is not locked", "Nothing to clear.");
        LockStore.Lock lock = held.get();
        if (context.engine().active(lock.runId()).isPresent()) {
            throw new AccessDeniedException("Run #" + lock.runId() + " is still running in this bot: /ops cancel " + lock.runId() + " instead.");
        }
        context.services().locks().forceRelease(stack);
        context.services().audit().append(origin.user().key(), origin.channel().toString(), "unlock",
                "run #" + lock.runId() + " " + lock.what(), "forced");
        return Message.of(Tone.WARNING, "Unlocked " + stack, origin.user().name() + " cleared the lock of run #"
                + lock.runId() + " (" + lock.what() + ", " + Words.user(lock.holder()) + ").");
    }
}
