package dev.opsbot.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.command.CommandParser;
import dev.opsbot.core.command.Invocation;
import dev.opsbot.core.runbook.ParamKind;
import dev.opsbot.core.runbook.Parameter;
import dev.opsbot.core.runbook.Runbook;
import dev.opsbot.core.runbook.RunbookLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(10)
class CommandSpecTest {
    private static final Runbook DEPLOY = new RunbookLoader().load(Path.of("src/test/resources/runbooks/deploy.yml"));
    private static final CommandSpec SPEC = CommandSpec.from(DEPLOY);

    @Test
    void aRunbookBecomesOneTypedOptionPerParameterInOrder() {
        assertEquals("deploy", SPEC.verb());
        assertEquals("Deploy an image tag to the stack", SPEC.summary());
        List<CommandSpec.Option> o = SPEC.options();
        assertEquals(List.of("tag", "service", "mode", "wait"), o.stream().map(CommandSpec.Option::name).toList());

        assertEquals(new CommandSpec.Option("tag", "The image tag to deploy", CommandSpec.Type.TEXT, true,
                CommandSpec.Placement.ARGUMENT, List.of(), null, null), o.get(0));
        assertEquals(new CommandSpec.Option("service", "A service of the compose file", CommandSpec.Type.TEXT, false,
                CommandSpec.Placement.ARGUMENT, List.of("backend", "worker", "web"), null, null), o.get(1));
        assertEquals(new CommandSpec.Option("mode", "One of: rolling, recreate (default rolling)", CommandSpec.Type.TEXT,
                false, CommandSpec.Placement.FLAG, List.of("rolling", "recreate"), null, null), o.get(2));
        assertEquals(new CommandSpec.Option("wait", "A whole number", CommandSpec.Type.INTEGER, false,
                CommandSpec.Placement.FLAG, List.of(), 5L, 600L), o.get(3));
    }

    static Stream<Arguments> texts() {
        return Stream.of(
                // the required tag alone
                Arguments.of(Map.of("tag", "sha-abc1234"), "deploy sha-abc1234"),
                // positional values in declared order, whatever order Discord lists them in
                Arguments.of(Map.of("service", "web", "tag", "1.2.3"), "deploy 1.2.3 web"),
                // flags after the positional values
                Arguments.of(Map.of("wait", "30", "tag", "1.2.3", "mode", "recreate"), "deploy 1.2.3 --mode recreate --wait 30"),
                // a value with a space is quoted
                Arguments.of(Map.of("tag", "a b"), "deploy \"a b\""),
                // a value with a double quote is quoted with single quotes
                Arguments.of(Map.of("tag", "say \"hi\""), "deploy 'say \"hi\"'"),
                // an empty flag value is a switch
                Arguments.of(Map.of("tag", "1.2.3", "mode", ""), "deploy 1.2.3 --mode"));
    }

    @ParameterizedTest
    @MethodSource("texts")
    void rebuildsTheTextTheCoreParses(Map<String, String> values, String expected) {
        assertEquals(expected, SPEC.text(values));
    }

    @ParameterizedTest
    @MethodSource("texts")
    void theCoresParserReadsBackWhatWasChosen(Map<String, String> values, String ignored) {
        Invocation parsed = new CommandParser().parse(SPEC.text(values));
        assertEquals("deploy", parsed.verb());
        List<String> positional = Stream.of("tag", "service").filter(values::containsKey).map(values::get).toList();
        assertEquals(positional, parsed.args());
        values.forEach((name, value) -> {
            if (name.equals("mode") || name.equals("wait")) assertEquals(value, parsed.flags().get(name));
        });
    }

    @Test
    void freeTextIsPassedOnAsTyped() {
        assertEquals("rotate-secret SECRET_KEY", CommandSpec.freeText().text(Map.of("text", " rotate-secret SECRET_KEY ")));
        assertEquals("", CommandSpec.freeText().text(Map.of()));
    }

    @Test
    void builtInVerbsAreHelpPsLogsHistoryCancelAuditAlertsMuteAndEnvs() {
        assertEquals(List.of("help", "ps", "logs", "history", "cancel", "audit", "alerts", "mute", "envs"),
                CommandSpec.builtIns().stream().map(CommandSpec::verb).toList());
        CommandSpec logs = CommandSpec.builtIns().get(2);
        assertEquals("logs backend --tail 20", logs.text(Map.of("service", "backend", "tail", "20")));
        assertEquals("cancel 42", CommandSpec.builtIns().get(4).text(Map.of("run", "42")));
    }

    @Test
    void servicesWithMoreThan25NamesAreTypedRatherThanPicked() {
        List<String> many = IntStream.rangeClosed(1, 26).mapToObj(i -> "svc" + i).toList();
        CommandSpec spec = CommandSpec.from(runbook("restart", param("service", ParamKind.SERVICE, many)));
        assertEquals(List.of(), spec.options().get(0).choices());
    }

    @Test
    void aMissingSummaryFallsBackToTheUsageLineAndLongOnesAreCut() {
        assertEquals("/ops restart <service>",
                CommandSpec.from(runbook("restart", param("service", ParamKind.SERVICE, List.of()))).summary());
        CommandSpec longOne = new CommandSpec("ps", "x".repeat(150), List.of());
        assertEquals(100, longOne.summary().length());
        assertTrue(longOne.summary().endsWith("\u2026"));
    }

    @Test
    void namesDiscordCannotTakeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> CommandSpec.from(runbook("a-very-long-runbook-name-over-32-chars")));
        assertThrows(IllegalArgumentException.class,
                () -> CommandSpec.from(runbook("deploy", param("Tag", ParamKind.TAG, List.of()))));
        assertThrows(IllegalArgumentException.class, () -> new CommandSpec("has space", "", List.of()));
    }

    @Test
    void forRunbooksKeepsTheBuiltInsAndLeavesOutWhatCannotBeASubcommand() {
        List<CommandSpec> specs = CommandSpec.forRunbooks(List.of(DEPLOY,
                runbook("a-very-long-runbook-name-over-32-chars"), runbook("logs"), runbook("run"), runbook("health")));
        assertEquals(List.of("help", "ps", "logs", "history", "cancel", "audit", "alerts", "mute", "envs", "deploy", "health"),
                specs.stream().map(CommandSpec::verb).toList());
        assertEquals(CommandSpec.builtIns().get(2), specs.get(2), "the built-in logs wins");
    }

    private static Runbook runbook(String name, Parameter... params) {
        return new Runbook(name, "", null, false, Duration.ofMinutes(5), List.of(params), List.of(), false, null,
                List.of(), null, Path.of(name + ".yml"));
    }

    private static Parameter param(String name, ParamKind kind, List<String> values) {
        return new Parameter(name, kind, true, null, false, values, null, Integer.MIN_VALUE, Integer.MAX_VALUE, "", null);
    }
}
