package dev.opsbot.core.env;

import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.command.UsageException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Which environment a command is for: {@code --env NAME}, else the channel's, else the default; and the command without it. */
final class EnvironmentSelector {
    private static final Pattern ENV_FLAG = Pattern.compile("(?:^|\\s)--env(?:=|\\s+)(\\S*)");

    private final Map<String, Environment> byName;
    private final String defaultName;

    EnvironmentSelector(Map<String, Environment> byName, String defaultName) {
        this.byName = byName;
        this.defaultName = defaultName;
    }

    record Selection(Environment environment, String rest) { }

    /** Pure work on the text and the configuration: safe on any thread. */
    Selection select(Origin origin, String text) {
        Matcher m = ENV_FLAG.matcher(text);
        String named = null;
        StringBuilder rest = new StringBuilder();
        int last = 0;
        while (m.find()) {
            if (named != null) throw new UsageException("Give --env once. Known environments: " + known() + ".", "");
            named = m.group(1);
            rest.append(text, last, m.start());
            last = m.end();
        }
        rest.append(text.substring(last));
        String command = rest.toString().strip();
        if (named != null) {
            Environment e = byName.get(named);
            if (e == null) {
                throw new UsageException((named.isEmpty() ? "--env needs a name" : "There is no environment '" + named + "'")
                        + ". Known environments: " + known() + ".", "");
            }
            return new Selection(e, command);
        }
        Optional<Environment> bound = byName.values().stream().filter(e -> e.boundTo(origin.channel())).findFirst();
        if (bound.isPresent()) return new Selection(bound.get(), command);
        if (defaultName != null) return new Selection(byName.get(defaultName), command);
        String verb = command.isEmpty() ? "help" : command.split("\\s+", 2)[0];
        if (verb.equals("help") || verb.equals("envs")) return new Selection(byName.values().iterator().next(), command);
        throw new UsageException("This channel is not bound to an environment: add --env " + String.join(" or --env ", byName.keySet())
                + " (for example /ops " + command + " --env " + byName.keySet().iterator().next() + ").", "");
    }

    private String known() {
        return String.join(", ", byName.keySet());
    }
}
