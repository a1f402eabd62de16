package dev.opsbot.app;

import dev.opsbot.core.chat.ChatAdapter;
import dev.opsbot.slack.SlackAdapter;
import dev.opsbot.slack.SlackSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The chat platforms whose variables are set, each as an adapter ready to start. */
final class ChatAdapters {
    private final Map<String, String> env;

    ChatAdapters(Map<String, String> env) {
        this.env = env;
    }

    List<ChatAdapter> configured() {
        List<ChatAdapter> adapters = new ArrayList<>();
        SlackSettings slack = SlackSettings.fromEnvironment(env);
        if (slack.enabled()) adapters.add(new SlackAdapter(slack));
        return adapters;
    }
}
