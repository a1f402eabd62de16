package dev.opsbot.app;

import dev.opsbot.core.store.DatabaseInUseException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The two ways a command ends in error, each reported in one place: typed wrong (or settings
 * refused, or a data folder another process holds), with the usage or the reason, exit code 2;
 * failed while running, with the reason, exit code 1.
 */
final class CommandErrors implements IParameterExceptionHandler, IExecutionExceptionHandler {
    static final int FAILED = 1;
    static final int USAGE = 2;

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine command = ex.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("opsbot: " + message(ex));
        UnmatchedArgumentException.printSuggestions(ex, err);
        command.usage(err);
        return USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        if (ex instanceof AppConfig.ConfigException refused) {
            err.println("opsbot: configuration: " + refused.getMessage());
            return USAGE;
        }
        // Nothing failed: this process was pointed at a data folder another one holds.
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DatabaseInUseException inUse) {
                err.println("opsbot: " + inUse.getMessage());
                return USAGE;
            }
        }
        err.println("opsbot: " + ex.getMessage());
        return FAILED;
    }

    /** A word where a subcommand was expected is an unknown command, whatever position picocli counts. */
    private static String message(ParameterException ex) {
        if (ex instanceof UnmatchedArgumentException unmatched && !unmatched.isUnknownOption()
                && !ex.getCommandLine().getSubcommands().isEmpty() && !unmatched.getUnmatched().isEmpty()) {
            return "unknown command '" + unmatched.getUnmatched().get(0) + "'";
        }
        return ex.getMessage();
    }
}
