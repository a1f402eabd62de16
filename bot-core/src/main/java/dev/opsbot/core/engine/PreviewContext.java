package dev.opsbot.core.engine;

import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.compose.ImagePinner;
import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.git.ReleaseSettings;
import dev.opsbot.core.runbook.Operations;
import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.StepContext;
import dev.opsbot.core.runbook.Template;
import dev.opsbot.core.secrets.SecretSettings;
import dev.opsbot.core.stream.OutputSink;
import java.time.Duration;
import java.util.List;

/** The context steps see while the bot describes what a run will change: it reads, it never acts. */
public record PreviewContext(ComposeProject project, DockerHost docker, Template template, Operations operations)
        implements StepContext {

    public PreviewContext(ComposeProject project, DockerHost docker, Template template) {
        this(project, docker, template, Operations.readOnly(ReleaseSettings.none(), SecretSettings.defaults()));
    }

    @Override
    public OutputSink out() {
        return OutputSink.NONE;
    }

    @Override
    public Duration timeout() {
        return Duration.ofSeconds(5);
    }

    @Override
    public void recordChange(ImagePinner.Change change) {
        throw new IllegalStateException("a preview changes nothing");
    }

    @Override
    public void healthVerified() {
        throw new IllegalStateException("a preview changes nothing");
    }

    @Override
    public int choose(String question, List<String> options, List<Boolean> dangerous, Duration timeout, int fallback) {
        throw new IllegalStateException("a preview asks nothing");
    }

    @Override
    public void runNested(List<Step> steps) {
        throw new IllegalStateException("a preview runs nothing");
    }
}
