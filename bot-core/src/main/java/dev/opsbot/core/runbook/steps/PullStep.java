package dev.opsbot.core.runbook.steps;

import dev.opsbot.core.docker.DockerException;
import dev.opsbot.core.docker.DockerUnavailableException;
import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.StepBody;
import dev.opsbot.core.runbook.StepContext;
import dev.opsbot.core.runbook.StepFailedException;
import dev.opsbot.core.runbook.StepFields;
import dev.opsbot.core.runbook.StepKind;
import dev.opsbot.core.runbook.Template;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code pull}: pulls the images of services (all when none are named), in parallel. With
 * {@code tag}, pulls that tag of the services' images instead of the one the file pins, so a
 * deploy can fetch the new images before it changes anything.
 */
public record PullStep(List<String> services, String tag) implements Step {

    /** {@code pull} in a runbook. */
    public static final class Kind implements StepKind {
        @Override
        public String key() {
            return "pull";
        }

        @Override
        public StepFields fields() {
            return StepFields.optional("services", "tag");
        }

        @Override
        public Step build(StepBody body) {
            return new PullStep(body.strings("services", List.of()), body.string("tag", null));
        }
    }

    @Override
    public String title(Template t) {
        return (services.isEmpty() ? "pull images" : "pull " + String.join(", ", services))
                + (tag == null ? "" : " at " + t.apply(tag));
    }

    @Override
    public void run(StepContext ctx) throws Exception {
        Set<String> images = new LinkedHashSet<>();
        for (String s : services.isEmpty() ? ctx.project().services().keySet() : services) {
            var ref = ctx.project().require(s).imageRef();
            images.add((tag == null ? ref : ref.withTag(ctx.template().apply(tag))).toString());
        }
        List<CompletableFuture<String>> pulls = new ArrayList<>();
        for (String image : images) {
            pulls.add(CompletableFuture.supplyAsync(() -> pullOne(ctx, image)));
        }
        List<String> failures = new ArrayList<>();
        for (CompletableFuture<String> p : pulls) {
            try {
                String problem = p.join();
                if (problem != null) failures.add(problem);
            } catch (CompletionException e) {
                if (e.getCause() instanceof DockerUnavailableException u) throw u;
                failures.add(e.getCause().getMessage());
            }
        }
        // A pull changes no container and no file: say so, so nobody goes looking for damage.
        if (!failures.isEmpty()) throw new StepFailedException(String.join("; ", failures) + ". Nothing was changed on the host.");
    }

    /** Returns null on success, or why the image cannot be had. */
    private static String pullOne(StepContext ctx, String image) {
        try {
            ctx.docker().pull(image, ctx.out(), ctx.timeout());
            return null;
        } catch (DockerUnavailableException e) {
            throw e;
        } catch (DockerException e) {
            if (ctx.docker().imageExists(image)) {
                ctx.out().line("warning: " + e.getMessage() + "; using the copy already on this host");
                return null;
            }
            return e.getMessage() + " (and it is not on this host either)";
        }
    }
}
