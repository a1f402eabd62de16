package dev.opsbot.discord;

import dev.opsbot.core.command.CommandSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /ops} slash command: one subcommand per command the core offers in menus (within
 * Discord's rules, see {@link DiscordRules}) plus the free-text {@code run}, and the way back from
 * a used subcommand to the text the core parses.
 */
final class SlashCommands {
    static final String NAME = "ops";
    static final String DESCRIPTION = "Run opsbot commands";
    static final int MAX_SUBCOMMANDS = 25;
    private static final Logger LOG = LoggerFactory.getLogger(SlashCommands.class);

    private final Map<String, CommandSpec> byVerb = new LinkedHashMap<>();

    SlashCommands(Collection<CommandSpec> specs) {
        for (CommandSpec spec : specs) {
            if (spec.verb().equals(CommandSpec.FREE_TEXT_VERB)) {
                LOG.warn("{} has the name of another command: it is reachable as /{} {} text:{}", spec.verb(), NAME,
                        CommandSpec.FREE_TEXT_VERB, spec.verb());
                continue;
            }
            String problem = DiscordRules.problem(spec);
            if (problem != null) {
                LOG.warn("{} cannot be a Discord subcommand ({}): it is reachable as /{} {} text:{}", spec.verb(), problem, NAME,
                        CommandSpec.FREE_TEXT_VERB, spec.verb());
                continue;
            }
            if (byVerb.size() == MAX_SUBCOMMANDS - 1) {
                LOG.warn("/{} {} left out: Discord allows {} subcommands; it is reachable as /{} {} text:{}", NAME,
                        spec.verb(), MAX_SUBCOMMANDS, NAME, CommandSpec.FREE_TEXT_VERB, spec.verb());
                continue;
            }
            if (byVerb.putIfAbsent(spec.verb(), spec) != null) {
                LOG.warn("/{} {} is described twice: the first description is used", NAME, spec.verb());
            }
        }
        CommandSpec freeText = CommandSpec.freeText();
        byVerb.put(freeText.verb(), freeText);
    }

    /** The verbs offered, in order ({@code run} last). */
    List<String> verbs() {
        return List.copyOf(byVerb.keySet());
    }

    /** The command as Discord registers it. */
    SlashCommandData data() {
        List<SubcommandData> subcommands = byVerb.values().stream().map(SlashCommands::subcommand).toList();
        return Commands.slash(NAME, DESCRIPTION).addSubcommands(subcommands);
    }

    /** The text the core expects for a used subcommand, from its option values by name. */
    String text(String subcommand, Map<String, String> values) {
        if (subcommand == null) return "";
        CommandSpec spec = byVerb.get(subcommand);
        if (spec == null) {
            // A registration older than this process: pass on what was typed, the core judges it.
            return (subcommand + " " + String.join(" ", values.values())).strip();
        }
        return spec.text(values);
    }

    static Map<String, String> values(List<OptionMapping> options) {
        return options.stream().collect(Collectors.toMap(OptionMapping::getName, OptionMapping::getAsString,
                (a, b) -> b, LinkedHashMap::new));
    }

    private static SubcommandData subcommand(CommandSpec spec) {
        List<OptionData> options = new ArrayList<>();
        // Discord lists required options first; the rebuilt text keeps the declared order.
        spec.options().stream().filter(CommandSpec.Option::required).map(SlashCommands::option).forEach(options::add);
        spec.options().stream().filter(o -> !o.required()).map(SlashCommands::option).forEach(options::add);
        return new SubcommandData(spec.verb(), DiscordRules.description(spec.summary())).addOptions(options);
    }

    private static OptionData option(CommandSpec.Option o) {
        OptionType type = o.type() == CommandSpec.Type.INTEGER ? OptionType.INTEGER : OptionType.STRING;
        OptionData data = new OptionData(type, o.name(), DiscordRules.description(o.description()), o.required());
        if (o.min() != null) data.setMinValue(o.min());
        if (o.max() != null) data.setMaxValue(o.max());
        for (String choice : DiscordRules.choices(o)) {
            if (type == OptionType.INTEGER) {
                data.addChoice(choice, Long.parseLong(choice));
            } else {
                data.addChoice(choice, choice);
            }
        }
        return data;
    }
}
