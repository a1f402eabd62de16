package dev.opsbot.app;

import dev.opsbot.core.chat.ChatAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code opsbot run}: the bot on every chat platform whose variables are set, until the process is stopped. */
@Command(name = "run", description = {"The bot on the chat platforms whose variables are set (SLACK_BOT_TOKEN with SLACK_APP_TOKEN "
        + "or SLACK_SIGNING_SECRET, DISCORD_TOKEN), until stopped."})
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    private OpsbotCommand opsbot;

    @Override
    public Integer call() throws Exception {
        Terminal terminal = opsbot.terminal();
        AppConfig config = opsbot.config();
        ChatAdapters available = new ChatAdapters(terminal.env(), opsbot.telemetry());
        if (!available.any()) {
            terminal.err().println("opsbot: no chat platform is configured: set SLACK_BOT_TOKEN with SLACK_APP_TOKEN or SLACK_SIGNING_SECRET,"
                    + " or DISCORD_TOKEN (docs/slack.md, docs/discord.md). To try the bot in this terminal: ./opsbot console");
            return CommandErrors.USAGE;
        }
        long started = System.nanoTime();
        List<ChatAdapter> adapters = new ArrayList<>();
        ManagementListener management = null;
        try (BotRuntime rt = new BotRuntime(config, terminal.env(), opsbot.home(), opsbot.telemetry())) {
            StartupReport report = new StartupReport(rt);
            adapters.addAll(available.configured(rt.environments.commands()));
            report.docker().forEach(terminal.out()::println);
            report.runbookProblems().forEach(terminal.out()::println);
            for (ChatAdapter adapter : adapters) {
                rt.register(adapter);
                adapter.start(rt.environments);
            }
            rt.environments.start();
            management = ManagementListener.start(config.management(), rt, adapters, opsbot.telemetry());
            terminal.out().println("opsbot ready in " + (System.nanoTime() - started) / 1_000_000 + " ms: "
                    + String.join(", ", adapters.stream().map(ChatAdapter::platform).toList())
                    + " · " + report.where() + " · " + rt.bot.catalog().all().size() + " runbooks");
            List<AutoCloseable> closing = new ArrayList<>(List.of(rt));
            closing.addAll(adapters);
            closing.add(management);
            try (GracefulStop stop = GracefulStop.install(rt.environments, config.shutdownGrace(), closing)) {
                stop.await();
            }
        } finally {
            if (management != null) management.close();
            adapters.forEach(ChatAdapter::close);
        }
        return 0;
    }
}
