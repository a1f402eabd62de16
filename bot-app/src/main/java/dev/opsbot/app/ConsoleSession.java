package dev.opsbot.app;

import dev.opsbot.core.Bot;
import dev.opsbot.core.chat.UserRef;
import dev.opsbot.core.env.Environment;
import dev.opsbot.core.env.Environments;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the console line by line. A line may start with {@code @name } to be typed by someone
 * else (to try confirmations and approvals alone). When input is a script, each line waits
 * until the bot has answered the one before, so {@code printf '/ops deploy …\n1\n'} works.
 * At the end of input it waits for running work.
 */
final class ConsoleSession {
    private static final Duration SETTLE_LIMIT = Duration.ofMinutes(30);

    private final Environments environments;
    private final List<Bot> bots;
    private final ConsoleAdapter console;
    private final PrintStream out;
    private final String defaultUser;
    private final boolean scripted;

    ConsoleSession(Environments environments, ConsoleAdapter console, PrintStream out, String defaultUser, boolean scripted) {
        this.environments = environments;
        this.bots = environments.all().stream().map(Environment::bot).toList();
        this.console = console;
        this.out = out;
        this.defaultUser = defaultUser;
        this.scripted = scripted;
    }

    void run(BufferedReader in) throws IOException, InterruptedException {
        String line;
        while ((line = in.readLine()) != null) {
            String user = defaultUser;
            String text = line.strip();
            if (text.startsWith("@")) {
                int space = text.indexOf(' ');
                user = space < 0 ? text.substring(1) : text.substring(1, space);
                text = space < 0 ? "" : text.substring(space + 1);
            }
            Optional<String> problem = console.type(new UserRef(ConsoleAdapter.PLATFORM, user, user, Set.of()), text);
            problem.ifPresent(p -> {
                synchronized (out) {
                    out.println("   " + p);
                }
            });
            if (scripted && problem.isEmpty() && !text.isEmpty()) {
                environments.awaitRouted(SETTLE_LIMIT);
                for (Bot bot : bots) bot.awaitSettled(SETTLE_LIMIT);
            }
        }
        environments.awaitRouted(SETTLE_LIMIT);
        for (Bot bot : bots) {
            if (bot.engine().waitingForAnswer()) {
                synchronized (out) {
                    out.println("   Input ended while a run waits for an answer: cancelling it.");
                }
                bot.engine().activeRuns().forEach(r -> bot.engine().cancel(r.id(), "the end of console input"));
            }
        }
        for (Bot bot : bots) {
            if (!bot.awaitIdle(Duration.ofHours(1))) {
                out.println("   Runs are still going after an hour; stopping anyway (they will be reported as interrupted).");
                break;
            }
        }
    }
}
