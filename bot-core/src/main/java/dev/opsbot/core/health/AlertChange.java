package dev.opsbot.core.health;

import dev.opsbot.core.store.AlertRecord;

/** What happened to an alert, for the channels to hear. */
record AlertChange(Kind kind, AlertRecord alert) {
    enum Kind {
        /** A new alert: post it. */
        OPENED,
        /** Still failing, with different output: update the message. */
        UPDATED,
        /** Failing again soon after it recovered: update the same message, say so in its thread. */
        REOPENED,
        /** A flapping check passes for now: update the message, keep it open. */
        PASSING,
        /** Recovered: update the message, say so in its thread. */
        RESOLVED,
        /** Still failing and nobody acknowledged it: remind the thread. */
        REMINDED,
        /** Someone acknowledged it: update the message, say who in its thread. */
        ACKNOWLEDGED
    }
}
