package dev.opsbot.core.runbook.steps;

import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.StepContext;
import dev.opsbot.core.runbook.Template;
import java.time.Duration;
import java.util.List;

/**
 * {@code choice}: asks the requester with buttons (Downgrade / Skip) and runs the chosen
 * option's steps. Without an answer in time the {@code default} option is taken.
 */
public record ChoiceStep(String question, List<Option> options, Duration answerWithin, int fallback) implements Step {

    /** One button and the steps it leads to. */
    public record Option(String label, boolean danger, List<Step> steps) { }

    @Override
    public String title(Template t) {
        return "ask: " + t.apply(question);
    }

    @Override
    public void run(StepContext ctx) throws Exception {
        int chosen = ctx.choose(ctx.template().apply(question), options.stream().map(Option::label).toList(),
                options.stream().map(Option::danger).toList(), answerWithin, fallback);
        Option option = options.get(chosen);
        ctx.out().line("chosen: " + option.label());
        ctx.runNested(option.steps());
    }
}
