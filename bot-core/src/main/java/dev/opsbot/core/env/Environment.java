package dev.opsbot.core.env;

import dev.opsbot.core.Bot;
import dev.opsbot.core.chat.ChannelRef;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One named place the bot deploys to: its own bot (own Docker endpoint, stack, database, rules
 * and monitor), the channels bound to it, and a one-line health summary for {@code /ops envs}.
 *
 * @param endpoint the Docker endpoint, as shown to people
 * @param target   what is operated there ("compose project shop", "swarm stack shop")
 * @param channels channels whose commands mean this environment ({@code platform:id} or a bare id)
 * @param glance   the health at a glance; throws a {@code DockerException} when the engine does not answer
 */
public record Environment(String name, Bot bot, String endpoint, String target, List<String> channels, Supplier<String> glance) {

    public Environment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bot, "bot");
        channels = channels == null ? List.of() : List.copyOf(channels);
    }

    /** Whether commands typed in {@code channel} mean this environment. */
    public boolean boundTo(ChannelRef channel) {
        return channels.contains(channel.id()) || channels.contains(channel.toString());
    }
}
