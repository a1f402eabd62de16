package dev.opsbot.core.press;

import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.button.Payload;
import dev.opsbot.core.health.HealthMonitor;
import java.util.Optional;
import java.util.function.Supplier;

/** An alert's Acknowledge button: a deployer says they are on it, and the alert shows who. */
public final class Acknowledgements implements PressHandler<Payload.Acknowledge> {
    private final AccessPolicy access;
    private final Supplier<Optional<HealthMonitor>> health;
    private final PressReplies replies;

    public Acknowledgements(AccessPolicy access, Supplier<Optional<HealthMonitor>> health, PressReplies replies) {
        this.access = access;
        this.health = health;
        this.replies = replies;
    }

    @Override
    public void handle(Press<Payload.Acknowledge> press) {
        access.require(press.origin().user(), AccessPolicy.DEPLOYER, "Acknowledging an alert");
        replies.accepted(press, "acknowledge alert #" + press.payload().alertId(), "accepted");
        health.get().ifPresent(monitor -> monitor.acknowledge(press.origin(), press.payload().alertId()));
    }
}
