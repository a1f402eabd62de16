package dev.opsbot.app;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code opsbot console}: the bot in this terminal, one line a command or the number of a button. */
@Command(name = "console", description = {"The bot in this terminal, against the configured Docker host (the demo stack by default).",
        "A line is a command (/ops ...) or the number of a button; '@bob /ops ...' types as someone else. End with Ctrl-D."})
final class ConsoleCommand implements Callable<Integer> {
    @ParentCommand
    private OpsbotCommand opsbot;

    @Option(names = "--as", paramLabel = "USER", description = "who you are in the console (default: $USER, else operator)")
    private String as;

    @Override
    public Integer call() throws Exception {
        Terminal terminal = opsbot.terminal();
        AppConfig config = opsbot.config();
        String user = as != null ? as : terminal.env().getOrDefault("USER", "operator");
        try (BotRuntime rt = new BotRuntime(config, terminal.env(), opsbot.home(), opsbot.telemetry());
             ConsoleAdapter console = new ConsoleAdapter(terminal.out());
             ManagementListener management = ManagementListener.start(config.management(), rt, List.of(console), opsbot.telemetry());
             GracefulStop stop = GracefulStop.install(rt.environments, config.shutdownGrace(), List.of(rt, console, management))) {
            StartupReport report = new StartupReport(rt);
            terminal.out().println("opsbot console · " + report.where() + " · you are " + user);
            report.docker().forEach(terminal.out()::println);
            report.runbookProblems().forEach(terminal.out()::println);
            terminal.out().println("Type /ops help. A line starting with @name is typed by that person. End with Ctrl-D.");
            rt.register(console);
            console.start(rt.environments);
            rt.environments.start();
            boolean scripted = terminal.in() != System.in || System.console() == null;
            new ConsoleSession(rt.environments, console, terminal.out(), user, scripted)
                    .run(new BufferedReader(new InputStreamReader(terminal.in(), StandardCharsets.UTF_8)));
        }
        return 0;
    }
}
