package dev.opsbot.core.dispatch;

import dev.opsbot.core.builtin.BuiltinCommands;
import dev.opsbot.core.command.CommandParser;
import dev.opsbot.core.command.Invocation;
import dev.opsbot.core.command.UsageException;
import dev.opsbot.core.failure.RefusedException;
import dev.opsbot.core.runbook.RunbookCatalog;
import dev.opsbot.core.telemetry.Telemetry;
import java.util.function.Supplier;

/**
 * Counts answered commands by verb and outcome. A verb is counted under its name only when the
 * bot knows it (a built-in or a runbook of the catalog), else as {@code unknown}, so that typed
 * text never becomes a label.
 */
public final class CommandTally {
    public static final String OK = "ok";
    public static final String USAGE = "usage";
    public static final String REFUSED = "refused";
    public static final String BUSY = "busy";
    public static final String FAILED = "failed";
    static final String UNKNOWN = "unknown";

    private final Telemetry telemetry;
    private final BuiltinCommands builtins;
    private final RunbookCatalog catalog;
    private final CommandParser parser = new CommandParser();

    public CommandTally(Telemetry telemetry, BuiltinCommands builtins, RunbookCatalog catalog) {
        this.telemetry = telemetry;
        this.builtins = builtins;
        this.catalog = catalog;
    }

    /** The command {@code text} (what follows {@code /ops}) was answered with {@code outcome}. */
    public void answered(String text, String outcome) {
        answered(() -> parser.parse(text), outcome);
    }

    /** The command, as {@code parsed} (the pipeline's own parse), was answered with {@code outcome}. */
    void answered(Supplier<Invocation> parsed, String outcome) {
        telemetry.commandAnswered(verb(parsed), outcome);
    }

    /** The command failed with {@code e} before or while it was answered. */
    void failed(Supplier<Invocation> parsed, RuntimeException e) {
        answered(parsed, e instanceof UsageException ? USAGE : e instanceof RefusedException ? REFUSED : FAILED);
    }

    private String verb(Supplier<Invocation> parsed) {
        try {
            String verb = parsed.get().verb();
            return builtins.find(verb).isPresent() || catalog.find(verb).isPresent() ? verb : UNKNOWN;
        } catch (RuntimeException e) {
            return UNKNOWN;
        }
    }
}
