package dev.opsbot.core.runbook;

import dev.opsbot.core.chat.Message;
import dev.opsbot.core.git.ReleaseSettings;
import dev.opsbot.core.secrets.SecretSettings;
import java.time.Duration;
import java.util.Optional;

/**
 * What the release and secret steps need from the bot beyond the stack: their settings, who
 * asked, a message under the run, the audit trail, and a private form for a value that must
 * not be typed in the channel.
 */
public interface Operations {

    ReleaseSettings release();

    SecretSettings secrets();

    /** The requester's display name. */
    String requester();

    long runId();

    /** Posts a message under the run's live message (release notes, a checklist); redacted like all output. */
    void post(Message message);

    /** Appends an audit row for this run (the detail is redacted). */
    void audit(String action, String detail, String outcome);

    /**
     * Asks the requester for a secret value through a private form (a modal) and waits for it.
     * Empty when the platform has no forms (the console); an empty text when nobody entered a
     * value in time. The value never reaches the channel, the run log or the audit trail.
     */
    Optional<String> askSecret(String variable, Duration wait) throws InterruptedException;

    /** For contexts that only read (a preview): settings, and nothing that acts. */
    static Operations readOnly(ReleaseSettings release, SecretSettings secrets) {
        return new Operations() {
            public ReleaseSettings release() {
                return release;
            }

            public SecretSettings secrets() {
                return secrets;
            }

            public String requester() {
                return "";
            }

            public long runId() {
                return 0;
            }

            public void post(Message message) {
                throw new IllegalStateException("a preview posts nothing");
            }

            public void audit(String action, String detail, String outcome) {
                throw new IllegalStateException("a preview records nothing");
            }

            public Optional<String> askSecret(String variable, Duration wait) {
                throw new IllegalStateException("a preview asks nothing");
            }
        };
    }
}
