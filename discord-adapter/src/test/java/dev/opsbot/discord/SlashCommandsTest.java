package dev.opsbot.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SlashCommandsTest {

    @Test
    void everySpecIsASubcommandAndRunComesLast() {
        SlashCommandData data = new SlashCommands(CommandSpec.builtIns()).data();
        assertEquals("ops", data.getName());
        assertEquals(List.of("help", "ps", "logs", "history", "cancel", "audit", "alerts", "mute", "envs", "run"),
                data.getSubcommands().stream().map(SubcommandData::getName).toList());
        SubcommandData logs = data.getSubcommands().get(2);
        OptionData tail = logs.getOptions().get(1);
        assertEquals(OptionType.INTEGER, tail.getType());
        assertEquals(1L, tail.getMinValue().longValue());
        assertEquals(500L, tail.getMaxValue().longValue());
    }

    @Test
    void requiredOptionsAreListedFirst() {
        CommandSpec spec = new CommandSpec("scale", "Scale a service", List.of(
                CommandSpec.Option.text("note", "", false, CommandSpec.Placement.FLAG),
                CommandSpec.Option.text("service", "", true, CommandSpec.Placement.ARGUMENT)));
        SubcommandData scale = new SlashCommands(List.of(spec)).data().getSubcommands().get(0);
        assertEquals(List.of("service", "note"), scale.getOptions().stream().map(OptionData::getName).toList());
    }

    @Test
    void beyond25SubcommandsTheRestIsLeftToRun() {
        List<CommandSpec> specs = new ArrayList<>();
        IntStream.rangeClosed(1, 30).forEach(i -> specs.add(new CommandSpec("verb" + i, "", List.of())));
        List<SubcommandData> subcommands = new SlashCommands(specs).data().getSubcommands();
        assertEquals(25, subcommands.size());
        assertEquals("verb24", subcommands.get(23).getName());
        assertEquals("run", subcommands.get(24).getName());
    }

    @Test
    void theAdaptersOwnRunCannotBeReplaced() {
        CommandSpec other = new CommandSpec("run", "Something else", List.of());
        SlashCommands commands = new SlashCommands(List.of(other));
        assertEquals("ps", commands.text("run", Map.of("text", "ps")));
    }

    @Test
    void aSubcommandUnknownToThisProcessIsPassedOnAsTyped() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("tag", "1.2.3");
        values.put("service", "web");
        assertEquals("promote 1.2.3 web", new SlashCommands(List.of()).text("promote", values));
        assertEquals("", new SlashCommands(List.of()).text(null, Map.of()));
    }
}
