package dev.opsbot.core.engine;

import dev.opsbot.core.chat.ChatPort;
import dev.opsbot.core.chat.Durations;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.docker.DockerUnavailableException;
import dev.opsbot.core.docker.ServiceContainer;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a run failed because its engine went away (a dockerd restart, most often), what runs could
 * not be said. This waits for the engine to answer again, for a while, and then says in the run's
 * thread what runs and which services have no container, so what the run left half-done is seen;
 * or that the engine still does not answer.
 */
final class EngineReturn {
    private static final Logger LOG = LoggerFactory.getLogger(EngineReturn.class);
    private static final Duration POLL = Duration.ofSeconds(1);

    private final DockerHost docker;
    private final Supplier<ComposeProject> project;
    private final ChatPort port;
    private final MessageRef live;
    private final long runId;
    private final BooleanSupplier botClosing;

    /** @param botClosing true once the bot stops: the watch then ends without a word */
    EngineReturn(DockerHost docker, Supplier<ComposeProject> project, ChatPort port, MessageRef live, long runId, BooleanSupplier botClosing) {
        this.docker = docker;
        this.botClosing = botClosing;
        this.project = project;
        this.port = port;
        this.live = live;
        this.runId = runId;
    }

    /** Watches on a thread of its own, for at most {@code patience}. */
    void awaitAndTell(Duration patience) {
        Thread t = new Thread(() -> awaitAndTellNow(patience), "opsbot-engine-return-" + runId);
        t.setDaemon(true);
        t.start();
    }

    private void awaitAndTellNow(Duration patience) {
        long start = System.nanoTime();
        String lastProblem = "";
        while (System.nanoTime() - start < patience.toNanos()) {
            if (botClosing.getAsBoolean()) return;
            try {
                ComposeProject p = project.get();
                List<ServiceContainer> ps = docker.ps(p);
                Duration away = Duration.ofNanos(System.nanoTime() - start);
                port.reply(live, Message.of(Tone.INFO, "Docker answers again", "Docker answers again, " + Durations.human(away)
                        + " after run #" + runId + " failed without it. What the run left:" + RunLedger.whatRuns(p.services().keySet(), ps)));
                return;
            } catch (DockerUnavailableException e) {
                lastProblem = e.getMessage();
            } catch (RuntimeException e) {
                LOG.warn("cannot say what runs after run #{}: {}", runId, e.getMessage());
                return;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
        if (botClosing.getAsBoolean()) return;
        port.reply(live, Message.of(Tone.WARNING, "Docker still does not answer", "Docker has not answered for " + Durations.human(patience)
                + " since run #" + runId + " failed: " + lastProblem + ". What it left is not known until it does; /ops ps shows it then."));
    }
}
