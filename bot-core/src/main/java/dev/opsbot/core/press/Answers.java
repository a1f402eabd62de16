package dev.opsbot.core.press;

import dev.opsbot.core.button.Decision;
import dev.opsbot.core.button.Payload;
import dev.opsbot.core.button.PendingButtons;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.engine.RunEngine;
import dev.opsbot.core.store.RunStatus;
import dev.opsbot.core.store.RunStore;

/**
 * The answer to a question a running step asked (a {@code choice} step): only the run's requester
 * may give it. A run on this replica gets it at once; a run on another replica reads the decided
 * buttons from the database.
 */
public final class Answers implements PressHandler<Payload.Answer> {
    private final PendingButtons buttons;
    private final RunEngine engine;
    private final RunStore runs;
    private final PressReplies replies;

    public Answers(PendingButtons buttons, RunEngine engine, RunStore runs, PressReplies replies) {
        this.buttons = buttons;
        this.engine = engine;
        this.runs = runs;
        this.replies = replies;
    }

    @Override
    public void handle(Press<Payload.Answer> press) {
        long runId = press.payload().runId();
        int option = press.payload().option();
        if (!press.byRequester()) {
            replies.refuse(press, "answer for run #" + runId, "refused: not the requester", Message.of(Tone.WARNING,
                    "Only the person who started run #" + runId + " can answer", "Nothing was changed."));
            return;
        }
        if (!buttons.decide(press.state().token(), press.origin().user(), Decision.ANSWER)) {
            replies.alreadyDecided(press);
            return;
        }
        boolean delivered = engine.answer(press.state().groupId(), option)
                || runs.find(runId).map(r -> r.status() == RunStatus.RUNNING).orElse(false);
        replies.accepted(press, "answer " + option + " for run #" + runId, delivered ? "accepted" : "no longer waiting");
        if (!delivered) {
            replies.whisper(press.origin(), Message.of(Tone.WARNING, "Run #" + runId + " is not waiting for this any more",
                    "It finished or was interrupted. Nothing was changed."));
        }
    }
}
