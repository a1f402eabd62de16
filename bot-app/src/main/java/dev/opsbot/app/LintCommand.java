package dev.opsbot.app;

import dev.opsbot.core.compose.ComposeLoader;
import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.runbook.RunbookCatalog;
import dev.opsbot.core.runbook.RunbookException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code opsbot lint}: every runbook and the compose file checked, each problem with its file and line. */
@Command(name = "lint", description = {"Check the runbooks and the compose file: each problem with its file and line; "
        + "exit code 1 when there is any."})
final class LintCommand implements Callable<Integer> {
    @ParentCommand
    private OpsbotCommand opsbot;

    @Override
    public Integer call() {
        AppConfig config = opsbot.config();
        PrintStream out = opsbot.terminal().out();
        RunbookCatalog catalog = new RunbookCatalog(config.runbooks());
        catalog.refresh();
        int problems = 0;
        for (RunbookException e : catalog.problems()) {
            out.println(config.runbooks().resolve(e.file().getFileName()) + ":" + e.line() + ": "
                    + e.getMessage().replaceFirst("^[^:]*:\\d+: ", ""));
            problems++;
        }
        try {
            ComposeProject project = new ComposeLoader(opsbot.terminal().env()).load(config.composeFile(), config.project());
            out.println("compose file " + config.composeFile() + ": " + project.services().size() + " services ("
                    + String.join(", ", project.services().keySet()) + ")");
        } catch (RuntimeException e) {
            // The demo's compose file is copied in by the first console start: not there yet is no problem.
            if (!(config.demo() && !Files.exists(config.composeFile()))) {
                out.println("compose file " + config.composeFile() + ": " + e.getMessage());
                problems++;
            }
        }
        out.println(catalog.all().size() + " runbook(s) valid: " + String.join(", ", catalog.all().keySet())
                + (problems == 0 ? "" : "; " + problems + " problem(s)"));
        return problems == 0 ? 0 : CommandErrors.FAILED;
    }
}
