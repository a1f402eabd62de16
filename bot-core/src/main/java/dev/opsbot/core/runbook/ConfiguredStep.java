package dev.opsbot.core.runbook;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** A step with its kind's key and the options every step kind shares: a title, a timeout, and whether failure stops the run. */
record ConfiguredStep(String kind, Step inner, String customTitle, Duration timeout, boolean continueOnFailure) implements Step {
    /** The keys beside a step's kind in a runbook; no kind may use one. */
    static final List<String> KEYS = List.of("title", "timeout", "continue-on-failure");

    @Override
    public String title(Template t) {
        return customTitle != null ? t.apply(customTitle) : inner.title(t);
    }

    @Override
    public void run(StepContext context) throws Exception {
        inner.run(context);
    }

    @Override
    public List<String> pinnedServices() {
        return inner.pinnedServices();
    }

    @Override
    public List<String> preview(StepContext context) {
        return inner.preview(context);
    }

    @Override
    public boolean appliesStackFiles() {
        return inner.appliesStackFiles();
    }

    @Override
    public Set<String> touches(Template template, Set<String> stack) {
        return inner.touches(template, stack);
    }
}
