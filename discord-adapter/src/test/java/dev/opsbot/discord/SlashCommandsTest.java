package dev.opsbot.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.builtin.BuiltinCommands;
import dev.opsbot.core.command.CommandSpec;
import dev.opsbot.core.command.CommandSpec.Option;
import dev.opsbot.core.command.CommandSpec.Placement;
import dev.opsbot.core.runbook.ParamKind;
import dev.opsbot.core.runbook.Parameter;
import dev.opsbot.core.runbook.Runbook;
import dev.opsbot.core.runbook.RunbookCommand;
import dev.opsbot.core.runbook.RunbookLoader;
import java.nio.file.Path;
import java.time.Duration;
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
    private static final Runbook DEPLOY = new RunbookLoader().load(Path.of("src/test/resources/runbooks/deploy.yml"));

    @Test
    void everySpecIsASubcommandAndRunComesLast() {
        SlashCommandData data = new SlashCommands(BuiltinCommands.discover().menuWith(List.of())).data();
        assertEquals("ops", data.getName());
        assertEquals(List.of("help", "ps", "logs", "history", "cancel", "audit", "alerts", "mute", "envs", "run"),
                data.getSubcommands().stream().map(SubcommandData::getName).toList());
        SubcommandData logs = data.getSubcommands().get(2);
        OptionData tail = logs.getOptions().get(1);
        assertEquals(OptionType.INTEGER, tail.getType());
        assertEquals(1L, tail.getMinValue().longValue());
        assertEquals(500L, tail.getMaxValue().longValue());
        assertEquals("The last lines of a service's log (default 50, at most 500)", logs.getDescription(), "capitalised as Discord shows it");
    }

    @Test
    void requiredOptionsAreListedFirst() {
        CommandSpec spec = new CommandSpec("scale", "Scale a service", null, List.of(
                Option.text("note", "", false, Placement.FLAG),
                Option.text("service", "", true, Placement.ARGUMENT)));
        SubcommandData scale = new SlashCommands(List.of(spec)).data().getSubcommands().get(0);
        assertEquals(List.of("service", "note"), scale.getOptions().stream().map(OptionData::getName).toList());
    }

    @Test
    void beyond25SubcommandsTheRestIsLeftToRun() {
        List<CommandSpec> specs = new ArrayList<>();
        IntStream.rangeClosed(1, 30).forEach(i -> specs.add(new CommandSpec("verb" + i, "", null, List.of())));
        List<SubcommandData> subcommands = new SlashCommands(specs).data().getSubcommands();
        assertEquals(25, subcommands.size());
        assertEquals("verb24", subcommands.get(23).getName());
        assertEquals("run", subcommands.get(24).getName());
    }

    @Test
    void theAdaptersOwnRunCannotBeReplaced() {
        CommandSpec other = new CommandSpec("run", "Something else", null, List.of());
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

    @Test
    void servicesWithMoreThan25NamesAreTypedRatherThanPicked() {
        List<String> many = IntStream.rangeClosed(1, 26).mapToObj(i -> "svc" + i).toList();
        CommandSpec spec = RunbookCommand.spec(runbook("restart", param("service", ParamKind.SERVICE, many)));
        OptionData service = new SlashCommands(List.of(spec)).data().getSubcommands().get(0).getOptions().get(0);
        assertEquals(List.of(), service.getChoices());
    }

    @Test
    void longDescriptionsAreCutToWhatDiscordTakes() {
        CommandSpec longOne = new CommandSpec("ps", "x".repeat(150), null, List.of());
        String shown = new SlashCommands(List.of(longOne)).data().getSubcommands().get(0).getDescription();
        assertEquals(100, shown.length());
        assertTrue(shown.endsWith("\u2026"));
    }

    @Test
    void namesDiscordCannotTakeAreLeftToRun() {
        List<CommandSpec> specs = List.of(RunbookCommand.spec(runbook("a-very-long-runbook-name-over-32-chars")),
                RunbookCommand.spec(runbook("deploy", param("Tag", ParamKind.TAG, List.of()))),
                new CommandSpec("has space", "", null, List.of()));
        assertEquals(List.of("run"), new SlashCommands(specs).verbs());
    }

    @Test
    void theMenuKeepsTheBuiltInsAndLeavesOutWhatCannotBeASubcommand() {
        List<CommandSpec> menu = BuiltinCommands.discover().menuWith(List.of(DEPLOY,
                runbook("a-very-long-runbook-name-over-32-chars"), runbook("logs"), runbook("run"), runbook("health")));
        SlashCommands commands = new SlashCommands(menu);
        assertEquals(List.of("help", "ps", "logs", "history", "cancel", "audit", "alerts", "mute", "envs", "deploy", "health", "run"),
                commands.verbs());
        assertEquals("logs backend --tail 20", commands.text("logs", Map.of("service", "backend", "tail", "20")), "the built-in logs wins");
    }

    private static Runbook runbook(String name, Parameter... params) {
        return new Runbook(name, "", null, false, Duration.ofMinutes(5), List.of(params), List.of(), false, null,
                List.of(), null, Path.of(name + ".yml"));
    }

    private static Parameter param(String name, ParamKind kind, List<String> values) {
        return new Parameter(name, kind, true, null, false, values, null, Integer.MIN_VALUE, Integer.MAX_VALUE, "", null);
    }
}
