package dev.opsbot.core.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.opsbot.core.builtin.BuiltinCommands;
import dev.opsbot.core.command.CommandSpec.Option;
import dev.opsbot.core.command.CommandSpec.Placement;
import dev.opsbot.core.command.CommandSpec.Type;
import dev.opsbot.core.runbook.ParamKind;
import dev.opsbot.core.runbook.Parameter;
import dev.opsbot.core.runbook.Runbook;
import dev.opsbot.core.runbook.RunbookCommand;
import dev.opsbot.core.runbook.RunbookLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Commands as menus offer them: typed options from runbooks and built-ins, and the text rebuilt from chosen values. */
@Timeout(10)
class CommandSpecTest {
    private static final Runbook DEPLOY = new RunbookLoader().load(Path.of("src/test/resources/runbooks-menu/deploy.yml"));
    private static final CommandSpec SPEC = RunbookCommand.spec(DEPLOY);

    @Test
    void aRunbookBecomesOneTypedOptionPerParameterInOrder() {
        assertEquals("deploy", SPEC.verb());
        assertEquals("Deploy an image tag to the stack", SPEC.summary());
        List<Option> o = SPEC.options();
        assertEquals(List.of("tag", "service", "mode", "wait"), o.stream().map(Option::name).toList());

        assertEquals(new Option("tag", "The image tag to deploy", Type.TEXT, true, Placement.ARGUMENT, List.of(), null, null), o.get(0));
        assertEquals(new Option("service", "A service of the compose file", Type.TEXT, false, Placement.ARGUMENT,
                List.of("backend", "worker", "web"), null, null), o.get(1));
        assertEquals(new Option("mode", "One of: rolling, recreate (default rolling)", Type.TEXT, false, Placement.FLAG,
                List.of("rolling", "recreate"), null, null), o.get(2));
        assertEquals(new Option("wait", "A whole number", Type.INTEGER, false, Placement.FLAG, List.of(), 5L, 600L), o.get(3));
    }

    static Stream<Arguments> texts() {
        return Stream.of(
                // the required tag alone
                Arguments.of(Map.of("tag", "sha-abc1234"), "deploy sha-abc1234"),
                // positional values in declared order, whatever order a menu lists them in
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
    void builtInVerbsInMenusAreHelpPsLogsHistoryCancelAuditAlertsMuteAndEnvs() {
        List<CommandSpec> builtIns = BuiltinCommands.discover().menuWith(List.of());
        assertEquals(List.of("help", "ps", "logs", "history", "cancel", "audit", "alerts", "mute", "envs"),
                builtIns.stream().map(CommandSpec::verb).toList());
        assertEquals("logs backend --tail 20", builtIns.get(2).text(Map.of("service", "backend", "tail", "20")));
        assertEquals("cancel 42", builtIns.get(4).text(Map.of("run", "42")));
    }

    @Test
    void aMissingSummaryFallsBackToTheUsageLine() {
        Runbook restart = new Runbook("restart", "", null, false, Duration.ofMinutes(5), List.of(new Parameter("service",
                ParamKind.SERVICE, true, null, false, List.of(), null, Integer.MIN_VALUE, Integer.MAX_VALUE, "", null)),
                List.of(), false, null, List.of(), null, Path.of("restart.yml"));
        assertEquals("/ops restart <service>", RunbookCommand.spec(restart).summary());
    }
}
