package dev.opsbot.core.engine;

import dev.opsbot.core.store.LockStore;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How a held lock reads in the channel. */
public final class LockMessages {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private LockMessages() {
    }

    public static String busy(LockStore.Lock lock) {
        return "One change at a time: " + lock.holder().replaceFirst("^[^:]*:", "") + " is running " + lock.what()
                + " (run #" + lock.runId() + ") since " + WHEN.format(lock.since())
                + ". Wait for it, /ops cancel " + lock.runId() + ", or (admin, for a run that died) /ops unlock --force.";
    }
}
