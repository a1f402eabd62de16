package dev.opsbot.bench;

import dev.opsbot.core.testing.RepoRoot;
import dev.opsbot.core.testing.StopAtStep;
import dev.opsbot.core.testing.StopAtStep.Case;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bot's own stop, swept: SIGTERM and SIGKILL as each step of a real deploy and rollback starts
 * ({@link StopAtStep}, the same cases the test suite samples), a fresh demo stack for each. Prints
 * one table row per case: the step, the signal, what the restarted bot reported and how soon, and
 * whether Resume left the stack on the run's release; the table is also written to the work folder.
 * Runs only when named ({@code --only faults}): about 15 minutes.
 */
final class FaultsScenario implements Scenario {

    @Override
    public String id() {
        return "faults";
    }

    @Override
    public String title() {
        return "The bot stopped by SIGTERM or SIGKILL at every step of deploy and rollback: what the next start reports";
    }

    @Override
    public void run(Context ctx, Results results) throws Exception {
        List<Case> cases = ctx.options().quick()
                ? List.of(new Case("deploy", 4, StopAtStep.Signal.SIGKILL), new Case("deploy", 6, StopAtStep.Signal.SIGTERM))
                : Case.all();
        StopAtStep sweep = new StopAtStep(ctx.docker(), env -> {
            ProcessBuilder pb = new ProcessBuilder(RepoRoot.get().resolve("opsbot").toString(), "console", "--as", "alice", "--config", "none.yml")
                    .directory(RepoRoot.get().toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("SLACK_") || k.startsWith("DISCORD_") || k.startsWith("OPSBOT_"));
            pb.environment().putAll(BotEnv.javaOpts());
            pb.environment().putAll(env);
            return pb;
        });
        Figure toReport = results.figure(id(), "restart to the interrupted-run report", "s");
        Figure correct = results.figure(id(), "cases whose stack ended on the run's release after Resume", "of " + cases.size(),
                "all", x -> x == cases.size());
        List<String> table = new ArrayList<>();
        table.add("| runbook | step at the signal | signal | exit | the restarted bot reported | s to ready | s to the report | Resume | stack correct | stack after |");
        table.add("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        ctx.say(table.get(0));
        int right = 0;
        for (Case c : cases) {
            Path dir = ctx.folder("faults-" + c.runbook() + "-" + c.step() + "-" + c.signal().name().toLowerCase(Locale.ROOT));
            String row;
            try {
                StopAtStep.Outcome o = sweep.run(c, dir);
                if (!Double.isNaN(o.secondsToReport())) toReport.add(o.secondsToReport());
                if (o.stackCorrect()) right++;
                row = String.format(Locale.ROOT, "| %s | %s | %s | %d | %s | %.1f | %s | %s | %s | %s |", c.runbook(), o.stepAtSignal(), c.signal(),
                        o.exitCode(), o.reported(), o.secondsToReady(), Double.isNaN(o.secondsToReport()) ? "-" : String.format(Locale.ROOT, "%.1f", o.secondsToReport()),
                        o.resumed(), o.stackCorrect() ? "yes" : "no", o.stack());
            } catch (Exception | AssertionError e) {
                String why = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString());
                row = "| " + c.runbook() + " | " + c.step() + " | " + c.signal() + " | - | the case failed: " + why + " | - | - | - | no | - |";
                results.note(id(), c + " failed: " + why + " (see " + dir + ")");
            }
            table.add(row);
            ctx.say(row);
        }
        correct.add(right);
        Files.write(ctx.work().resolve("faults.md"), table);
        ctx.say("table written to " + RepoRoot.get().relativize(ctx.work().resolve("faults.md")));
    }
}
