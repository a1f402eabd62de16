package dev.opsbot.core.runbook.steps;

import dev.opsbot.core.compose.ImagePinner;
import dev.opsbot.core.compose.ImageRef;
import dev.opsbot.core.docker.RunningImage;
import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.StepBody;
import dev.opsbot.core.runbook.StepContext;
import dev.opsbot.core.runbook.StepFields;
import dev.opsbot.core.runbook.StepKind;
import dev.opsbot.core.runbook.Template;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** {@code pin}: sets the tag of services' images in the compose file, editing nothing else. */
public record PinStep(List<String> services, String tag) implements Step {

    /** {@code pin} in a runbook. */
    public static final class Kind implements StepKind {
        @Override
        public String key() {
            return "pin";
        }

        @Override
        public StepFields fields() {
            return StepFields.required("services", "tag");
        }

        @Override
        public Step build(StepBody body) {
            return new PinStep(body.strings("services"), body.string("tag"));
        }
    }

    @Override
    public String title(Template t) {
        return "pin " + String.join(", ", services) + " to " + t.apply(tag);
    }

    @Override
    public void run(StepContext ctx) throws Exception {
        String newTag = ctx.template().apply(tag);
        ImagePinner.Result result = new ImagePinner().pinFile(ctx.project().file(), tags(newTag));
        ctx.stackFiles().wrote(ctx.project().file());
        for (ImagePinner.Change c : result.changes()) {
            ctx.recordChange(c);
            ctx.out().line(c.service() + ": " + c.before() + " -> " + c.after()
                    + (c.before().equals(c.after()) ? " (already pinned)" : ""));
        }
    }

    /** It rewrites the compose file: not on a version of the stack's files someone else saved during the run. */
    @Override
    public boolean appliesStackFiles() {
        return true;
    }

    @Override
    public Set<String> touches(Template t, Set<String> stack) {
        return Set.copyOf(services);
    }

    @Override
    public List<String> pinnedServices() {
        return services;
    }

    /** "backend: sha-1a2b3c4 -> sha-5d6e7f8 · running sha-1a2b3c4 (sha256:…)": the file's change, and what runs now. */
    @Override
    public List<String> preview(StepContext ctx) {
        String newTag = ctx.template().apply(tag);
        try {
            String text = Files.readString(ctx.project().file(), StandardCharsets.UTF_8);
            Function<String, String> running = running(ctx);
            List<String> lines = new ArrayList<>();
            for (ImagePinner.Change c : new ImagePinner().pin(text, tags(newTag)).changes()) {
                String before = ImageRef.parse(c.before()).tag();
                String now = running.apply(c.service());
                lines.add(c.service() + ": " + before + " -> " + newTag + (before.equals(newTag) ? " (unchanged)" : "")
                        + (now.isEmpty() ? "" : " · " + now));
            }
            return lines;
        } catch (IOException e) {
            return List.of("cannot read " + ctx.project().file() + ": " + e.getMessage());
        }
    }

    /**
     * What each service runs now, as a person approving the change must see it; "" where the
     * project has no containers at all (a swarm stack's tasks are not compose containers).
     */
    private static Function<String, String> running(StepContext ctx) {
        try {
            List<ServiceContainer> containers = ctx.docker().ps(ctx.project());
            if (containers.isEmpty()) return service -> "";
            Map<String, RunningImage> images = RunningImage.of(ctx.project(), containers);
            return service -> images.containsKey(service) ? images.get(service).describe() : "no container";
        } catch (RuntimeException e) {
            return service -> "what runs cannot be read: " + e.getMessage();
        }
    }

    private Map<String, String> tags(String newTag) {
        Map<String, String> m = new LinkedHashMap<>();
        services.forEach(s -> m.put(s, newTag));
        return m;
    }
}
