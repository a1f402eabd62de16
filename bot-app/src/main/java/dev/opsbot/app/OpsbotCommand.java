package dev.opsbot.app;

import dev.opsbot.app.telemetry.BuildInfo;
import dev.opsbot.app.telemetry.PrometheusTelemetry;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code opsbot}: the subcommands, and the options they all share (help, version, the settings file). */
@Command(name = "opsbot", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        separator = " ", sortOptions = false,
        description = "A ChatOps bot: deploy, roll back and check a Docker Compose stack from Slack, Discord or a terminal.",
        subcommands = {ConsoleCommand.class, RunCommand.class, LintCommand.class, AuditCommand.class, DbCommand.class, HelpCommand.class},
        footer = {"", "Settings: opsbot.yml in the current folder, or --config FILE, then environment variables (docs/configuration.md).",
                "Exit codes: 0 done, 1 failed (or problems found), 2 wrong usage or settings refused."})
final class OpsbotCommand implements Callable<Integer> {
    private final Terminal terminal;
    private PrometheusTelemetry telemetry;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "opsbot.yml", scope = ScopeType.INHERIT,
            description = "the settings file (default: ${DEFAULT-VALUE}); a missing file means defaults")
    private Path config;

    @Spec
    private CommandSpec spec;

    OpsbotCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    Terminal terminal() {
        return terminal;
    }

    /** What the process counts and times, for /metrics; made when a long-running command first asks. */
    PrometheusTelemetry telemetry() {
        if (telemetry == null) telemetry = new PrometheusTelemetry(BuildInfo.read());
        return telemetry;
    }

    /** The settings from the file and the environment; refused settings throw {@link AppConfig.ConfigException}. */
    AppConfig config() {
        return config(terminal.env());
    }

    /** The same with {@code env} for the environment (a command's options standing for variables). */
    AppConfig config(Map<String, String> env) {
        return AppConfig.load(home(), config, env);
    }

    /** The folder the command runs in: relative paths in the settings start here. */
    Path home() {
        return Path.of("").toAbsolutePath();
    }

    /** Without a subcommand: what there is to do. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }
}
