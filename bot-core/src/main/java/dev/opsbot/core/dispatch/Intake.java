package dev.opsbot.core.dispatch;

import dev.opsbot.core.chat.ChatInbox;
import dev.opsbot.core.chat.ChatPorts;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate between the adapters and the {@link Dispatcher}: a command is refused at once as busy
 * when too many wait, everything is answered "restarting" once the bot stops, and what passes
 * is queued. Refusals are counted and answered privately from the bot's own thread, never from
 * the adapter's.
 */
public final class Intake {
    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);

    private final Dispatcher dispatcher;
    private final CommandTally tally;
    private final ChatPorts ports;
    private final Executor answers;
    private volatile boolean stopping;

    /** @param answers where busy and restarting answers are sent from (a whisper may wait on the platform) */
    public Intake(Dispatcher dispatcher, CommandTally tally, ChatPorts ports, Executor answers) {
        this.dispatcher = dispatcher;
        this.tally = tally;
        this.ports = ports;
        this.answers = answers;
    }

    /** From now on commands, presses and forms are answered "restarting". */
    public void stop() {
        stopping = true;
    }

    /** The answer a command gets without being handled (busy, restarting), counted; empty when it is taken. */
    public Optional<String> turnedAway(Origin origin, String text) {
        String answer = stopping ? ChatInbox.RESTARTING : dispatcher.overloaded() ? ChatInbox.BUSY : null;
        if (answer == null) return Optional.empty();
        if (!stopping) LOG.warn("busy: commands waiting; refused one from {}", origin.user().key());
        tally.answered(text, CommandTally.BUSY);
        return Optional.of(answer);
    }

    /** A typed command: turned away, or queued for {@code handle}. */
    public void command(Origin origin, String text, Runnable handle) {
        Optional<String> away = turnedAway(origin, text);
        if (away.isPresent()) {
            tellPrivately(origin, away.get());
            return;
        }
        dispatcher.submit(origin, () -> {
            if (stopping) {
                tally.answered(text, CommandTally.BUSY);
                tellPrivately(origin, ChatInbox.RESTARTING);
            } else {
                handle.run();
            }
        });
    }

    /** A press or form: always taken, unless the bot stops (its button then stays usable after the restart). */
    public void press(Origin origin, Runnable handle) {
        if (stopping) {
            tellPrivately(origin, ChatInbox.RESTARTING);
            return;
        }
        dispatcher.submit(origin, () -> {
            if (stopping) tellPrivately(origin, ChatInbox.RESTARTING); else handle.run();
        });
    }

    private void tellPrivately(Origin origin, String text) {
        String title = text.equals(ChatInbox.RESTARTING) ? "Restarting" : "Busy";
        try {
            answers.execute(() -> ports.whisper(origin, Message.of(Tone.WARNING, title, text)));
        } catch (RejectedExecutionException e) {
            LOG.info("closed: a request from {} was not answered", origin.user().key());
        }
    }
}
