package dev.opsbot.core.chat;

import java.time.Duration;

/** Durations as people read them in chat: "42 s", "3 min 5 s", "1 h 2 min". */
public final class Durations {
    private Durations() {
    }

    public static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) return s + " s";
        if (s < 3600) return (s / 60) + " min" + (s % 60 == 0 ? "" : " " + (s % 60) + " s");
        return (s / 3600) + " h" + ((s % 3600) / 60 == 0 ? "" : " " + (s % 3600) / 60 + " min");
    }
}
