package dev.opsbot.core.dispatch;

import dev.opsbot.core.chat.ChatPorts;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.command.UsageException;
import dev.opsbot.core.compose.ComposeException;
import dev.opsbot.core.docker.DockerException;
import dev.opsbot.core.failure.OperationFailedException;
import dev.opsbot.core.failure.RefusedException;
import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.store.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a failure becomes an answer in the channel. A refusal (typed wrong, or not
 * allowed) is audited and answered privately with the usage line or the reason; a failed
 * operation says what failed and what to do next; anything else is logged with its stack and
 * answered briefly. Every answer passes the redactor.
 */
public final class FailureAnswers {
    private static final Logger LOG = LoggerFactory.getLogger(FailureAnswers.class);

    private final ChatPorts ports;
    private final AuditLog audit;
    private final Redactor redactor;

    public FailureAnswers(ChatPorts ports, AuditLog audit, Redactor redactor) {
        this.ports = ports;
        this.audit = audit;
        this.redactor = redactor;
    }

    public void answer(Origin origin, RuntimeException e) {
        ports.whisper(origin, message(origin, e));
    }

    private Message message(Origin origin, RuntimeException e) {
        if (e instanceof UsageException u) {
            audit.append(origin.user().key(), origin.channel().toString(), "refused", u.getMessage(), "usage");
            return Message.builder(Tone.WARNING, u.getMessage()).context(u.usage().isEmpty() ? "" : "Usage: " + u.usage()).build();
        }
        if (e instanceof RefusedException r) {
            audit.append(origin.user().key(), origin.channel().toString(), "refused", r.getMessage(), "not allowed");
            return Message.of(Tone.WARNING, "Not done", r.getMessage());
        }
        if (e instanceof OperationFailedException f) {
            Message.Builder b = Message.builder(Tone.FAILURE, title(f)).line(redactor.apply(f.getMessage()));
            if (!f.nextStep().isEmpty()) b.line(redactor.apply(f.nextStep()));
            return b.build();
        }
        LOG.error("handling a request from {} failed", origin.user().key(), e);
        return Message.of(Tone.FAILURE, "Something went wrong", redactor.apply(String.valueOf(e.getMessage())));
    }

    private static String title(OperationFailedException f) {
        if (f instanceof ComposeException) return "The compose file cannot be used";
        if (f instanceof DockerException) return "Docker did not do it";
        return "It did not work";
    }
}
