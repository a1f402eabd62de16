package dev.opsbot.core.engine;

import dev.opsbot.core.button.ButtonState;
import dev.opsbot.core.button.Payload;
import dev.opsbot.core.button.PendingButtons;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.ChatPort;
import dev.opsbot.core.chat.Durations;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Tone;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * A question a running step asks its requester with buttons (a {@code choice} step): posted,
 * answered by a press (or not in time), and the message closed with what was decided. A press
 * on this replica hands the answer over at once; one on another replica decides the buttons in
 * the database, where the question reads it a few times a second.
 */
final class RunQuestion {

    private final RunEngine engine;
    private final PendingButtons buttons;
    private final ChatPort port;
    private final PendingButtons.Offer offer;
    private final MessageRef asked;
    private final Message asking;
    private final CompletableFuture<Integer> answer;
    private final List<String> options;
    private final Duration wait;
    private final int fallback;

    private RunQuestion(RunEngine engine, PendingButtons buttons, ChatPort port, PendingButtons.Offer offer, MessageRef asked,
                        Message asking, CompletableFuture<Integer> answer, List<String> options, Duration wait, int fallback) {
        this.engine = engine;
        this.buttons = buttons;
        this.port = port;
        this.offer = offer;
        this.asked = asked;
        this.asking = asking;
        this.answer = answer;
        this.options = options;
        this.wait = wait;
        this.fallback = fallback;
    }

    /** Posts the question with one button per option; {@code fallback} is the option taken when nobody answers (-1: none). */
    static RunQuestion ask(RunEngine engine, RunServices services, long runId, RunRequest request, ChatPort port, String question,
                           List<String> options, List<Boolean> dangerous, Duration wait, int fallback) {
        List<PendingButtons.Choice> choices = new ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
            choices.add(new PendingButtons.Choice(options.get(i),
                    dangerous.get(i) ? Button.Style.DANGER : Button.Style.DEFAULT, new Payload.Answer(runId, i)));
        }
        PendingButtons.Offer offer = services.buttons().offer(choices, request.origin().user(), request.origin().channel(), wait);
        CompletableFuture<Integer> answer = engine.question(offer.groupId());
        Message asking = Message.builder(Tone.WARNING, "Run #" + runId + " asks: " + question)
                .line(request.origin().user().name() + ", choose within " + Durations.human(wait)
                        + (fallback >= 0 ? " (then: " + options.get(fallback) + ")" : "") + ".")
                .build().withButtons(offer.buttons());
        MessageRef asked = port.post(request.origin().channel(), asking);
        services.buttons().posted(offer, asked);
        return new RunQuestion(engine, services.buttons(), port, offer, asked, asking, answer, options, wait, fallback);
    }

    /** Cancelling it ends the wait with "Run cancelled". */
    CompletableFuture<Integer> answer() {
        return answer;
    }

    /** Waits for the answer; the fallback when time runs out, or a CancellationException when there is none. */
    int await() throws InterruptedException {
        try {
            int chosen = answered(System.nanoTime() + wait.toNanos());
            close("Answered: " + options.get(chosen));
            return chosen;
        } catch (TimeoutException e) {
            if (fallback < 0) {
                close("No answer in time.");
                throw new CancellationException("no answer within " + Durations.human(wait));
            }
            close("No answer in time: " + options.get(fallback));
            return fallback;
        } catch (CancellationException e) {
            close("Run cancelled.");
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            engine.forget(offer.groupId());
        }
    }

    /** The answer pressed here, or read from the buttons' decision when it was pressed on another replica. */
    private int answered(long deadline) throws InterruptedException, ExecutionException, TimeoutException {
        return AnswerWait.await(answer, deadline, this::chosenElsewhere);
    }

    private Optional<Integer> chosenElsewhere() {
        try {
            return buttons.chosen(offer.groupId()).map(ButtonState::payload)
                    .filter(Payload.Answer.class::isInstance).map(p -> ((Payload.Answer) p).option());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private void close(String outcome) {
        port.update(asked, asking.withoutButtons().withCode(outcome));
    }
}
