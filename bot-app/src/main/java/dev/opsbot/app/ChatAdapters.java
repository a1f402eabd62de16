package dev.opsbot.app;

import dev.opsbot.core.chat.ChatAdapter;
import dev.opsbot.core.command.CommandSpec;
import dev.opsbot.core.telemetry.Telemetry;
import dev.opsbot.discord.DiscordAdapter;
import dev.opsbot.discord.DiscordSettings;
import dev.opsbot.slack.SlackAdapter;
import dev.opsbot.slack.SlackSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The chat platforms whose variables are set, each as an adapter ready to start. */
final class ChatAdapters {
    private final Map<String, String> env;
    private final Telemetry telemetry;

    ChatAdapters(Map<String, String> env) {
        this(env, Telemetry.NONE);
    }

    /** @param telemetry what the adapters count their API calls and acknowledgements into */
    ChatAdapters(Map<String, String> env, Telemetry telemetry) {
        this.env = env;
        this.telemetry = telemetry;
    }

    /**
     * The adapters. Discord's /ops subcommands are the core's command menu (built-ins and every
     * environment's runbooks, with {@code env} where there are several), so the two never drift.
     */
    List<ChatAdapter> configured(List<CommandSpec> commands) {
        List<ChatAdapter> adapters = new ArrayList<>();
        SlackSettings slack = SlackSettings.fromEnvironment(env);
        if (slack.enabled()) adapters.add(new SlackAdapter(slack, telemetry));
        DiscordSettings discord = DiscordSettings.fromEnvironment(env);
        if (discord.enabled()) adapters.add(new DiscordAdapter(discord, commands, telemetry));
        return adapters;
    }

    boolean any() {
        return SlackSettings.fromEnvironment(env).enabled() || DiscordSettings.fromEnvironment(env).enabled();
    }
}
