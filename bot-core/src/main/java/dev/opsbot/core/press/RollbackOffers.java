package dev.opsbot.core.press;

import dev.opsbot.core.button.Payload;
import dev.opsbot.core.button.PendingButtons;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.compose.ImagePinner;
import dev.opsbot.core.engine.KnownGood;
import dev.opsbot.core.engine.RunListener;
import dev.opsbot.core.engine.RunResult;
import dev.opsbot.core.engine.RunServices;
import dev.opsbot.core.runbook.RunbookCatalog;
import dev.opsbot.core.store.RunStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** After a failed deploy, offers to roll back to the last known-good tag (rolling back asks for confirmation in turn). */
public final class RollbackOffers implements RunListener {
    private final RunServices services;
    private final RunbookCatalog catalog;
    private final Duration offeredFor;

    public RollbackOffers(RunServices services, RunbookCatalog catalog, Duration offeredFor) {
        this.services = services;
        this.catalog = catalog;
        this.offeredFor = offeredFor;
    }

    @Override
    public void finished(RunResult result) {
        if (result.status() == RunStatus.SUCCEEDED || !result.request().runbook().offerRollbackOnFailure()) return;
        Optional<ImagePinner.Change> changed = result.changes().stream().filter(c -> !c.before().equals(c.after())).findFirst();
        if (changed.isEmpty() || catalog.find("rollback").isEmpty()) return;
        String service = changed.get().service();
        Optional<String> good = KnownGood.of(services).of(service);
        if (good.isEmpty()) return;
        Origin origin = result.request().origin();
        PendingButtons.Offer offer = services.buttons().offer(List.of(new PendingButtons.Choice("Roll back to " + good.get(),
                Button.Style.DANGER, new Payload.Invoke("rollback " + good.get()))), origin.user(), origin.channel(), offeredFor);
        MessageRef posted = services.ports().of(origin.channel()).reply(result.liveMessage(),
                Message.builder(Tone.FAILURE, "Run #" + result.runId() + " failed: roll back?")
                        .line("The last known-good tag of " + service + " is " + good.get() + ".")
                        .line("Rolling back asks for confirmation first.")
                        .build().withButtons(offer.buttons()));
        services.buttons().posted(offer, posted);
    }
}
