package dev.opsbot.core.button;

import java.util.Objects;

/** What pressing a button does; one record per kind of button, encoded by {@link PayloadCodec}. */
public sealed interface Payload {

    /** Confirm or cancel a mutating run the requester asked for. */
    record Confirm(RunTicket ticket, Decision decision) implements Payload {
        public Confirm {
            Objects.requireNonNull(ticket, "ticket");
            if (decision != Decision.CONFIRM && decision != Decision.CANCEL) throw new IllegalArgumentException("confirm or cancel, not " + decision);
        }
    }

    /** Approve or deny a request that needs other people's approval. */
    record Approval(RunTicket ticket, Decision decision) implements Payload {
        public Approval {
            Objects.requireNonNull(ticket, "ticket");
            if (decision != Decision.APPROVE && decision != Decision.DENY) throw new IllegalArgumentException("approve or deny, not " + decision);
        }
    }

    /** Option {@code option} (0-based) of a question run {@code runId} asks while it runs. */
    record Answer(long runId, int option) implements Payload { }

    /** Type {@code command} (what follows "/ops") as the person who pressed. */
    record Invoke(String command) implements Payload {
        public Invoke {
            Objects.requireNonNull(command, "command");
        }
    }

    /** Acknowledge health alert {@code alertId}. */
    record Acknowledge(long alertId) implements Payload { }

    /** The private form asking a denier why; {@code denyToken} is the Deny button it belongs to. */
    record DenyReason(String denyToken) implements Payload {
        public DenyReason {
            Objects.requireNonNull(denyToken, "denyToken");
        }
    }

    /**
     * After run {@code runId} was interrupted: resume it where it stopped, roll back to {@code tag},
     * or acknowledge it (someone takes it from here by hand; its lock is let go).
     */
    record Recover(long runId, Decision decision, String tag) implements Payload {
        public Recover {
            if (decision != Decision.RESUME && decision != Decision.ROLL_BACK && decision != Decision.ACKNOWLEDGE) {
                throw new IllegalArgumentException("resume, roll back or acknowledge, not " + decision);
            }
            if (decision == Decision.ROLL_BACK) Objects.requireNonNull(tag, "tag");
        }
    }

    /** Opens the private form for the value of {@code variable} that run {@code runId} waits for. */
    record SecretForm(long runId, String variable) implements Payload {
        public SecretForm {
            Objects.requireNonNull(variable, "variable");
        }
    }
}
