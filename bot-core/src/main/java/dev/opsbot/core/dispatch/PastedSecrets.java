package dev.opsbot.core.dispatch;

import dev.opsbot.core.button.Payload;
import dev.opsbot.core.button.PendingButtons;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.ChatPort;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.engine.RunServices;
import dev.opsbot.core.runbook.RunbookCatalog;
import dev.opsbot.core.secrets.EnvSecrets;
import dev.opsbot.core.secrets.LeakGuard;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A command holding a secret (a current value of .env, or a token shape) is not run: the
 * person is told privately, the channel is told the value must be rotated (with a button for
 * it where the variable is known), the audit row says so. The value itself is redacted everywhere.
 */
final class PastedSecrets {
    private final RunServices services;
    private final RunbookCatalog catalog;
    private final LeakGuard leaks;
    private final Duration offeredFor;

    PastedSecrets(RunServices services, RunbookCatalog catalog, Duration offeredFor) {
        this.services = services;
        this.catalog = catalog;
        this.offeredFor = offeredFor;
        EnvSecrets env = new EnvSecrets(List.of(services.secrets().envFile(services.stack().composeFile())));
        this.leaks = new LeakGuard(env::current, services.secrets().policies().keySet());
    }

    /** True when {@code text} held a secret and was refused (and said so). */
    boolean refused(Origin origin, String text) {
        Optional<LeakGuard.Leak> leak = leaks.find(text);
        if (leak.isEmpty()) return false;
        LeakGuard.Leak l = leak.get();
        services.audit().append(origin.user().key(), origin.channel().toString(), "secret.pasted", l.description(), "refused");
        services.ports().whisper(origin, Message.of(Tone.FAILURE, "Not run: the command holds a secret",
                "It holds " + l.description() + ". Secrets are entered in a private form, never typed in a command."));
        Message warning = Message.builder(Tone.FAILURE, "A secret was typed into a command")
                .line(origin.user().name() + " typed " + l.description() + " into a command; it was refused and not run. "
                        + "Treat the value as leaked.")
                .line(l.variable() != null ? "Rotate it now: /ops secret-leaked " + l.variable()
                        : "Rotate it where it was issued, then update .env and the CI secrets.")
                .build();
        ChatPort port = services.ports().of(origin.channel());
        if (l.variable() == null || catalog.find("secret-leaked").isEmpty()) {
            port.post(origin.channel(), warning);
            return true;
        }
        PendingButtons.Offer offer = services.buttons().offer(List.of(new PendingButtons.Choice("Rotate " + l.variable() + " now",
                Button.Style.DANGER, new Payload.Invoke("secret-leaked " + l.variable()))), origin.user(), origin.channel(), offeredFor);
        services.buttons().posted(offer, port.post(origin.channel(), warning.withButtons(offer.buttons())));
        return true;
    }
}
