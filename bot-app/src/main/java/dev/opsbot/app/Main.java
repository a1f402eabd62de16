package dev.opsbot.app;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/** The {@code opsbot} command: console, run, lint, audit verify (one class each, {@link OpsbotCommand} lists them). */
public final class Main {
    private final Terminal terminal;

    Main(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        this.terminal = new Terminal(in, out, err, env);
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.exit(new Main(System.in, out, System.err, System.getenv()).run(args));
    }

    /** Runs one command line; the exit code: 0 done, 1 failed, 2 wrong usage or settings refused. */
    int run(String[] args) {
        PrintWriter out = writer(terminal.out());
        PrintWriter err = writer(terminal.err());
        CommandErrors errors = new CommandErrors();
        try {
            return new CommandLine(new OpsbotCommand(terminal))
                    .setOut(out)
                    .setErr(err)
                    .setParameterExceptionHandler(errors)
                    .setExecutionExceptionHandler(errors)
                    .execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }
}
