package dev.opsbot.core.engine;

/** What a button offered after an interruption does: resume run {@code runId} at its step, or roll back to {@code tag}. */
public record Recovery(long runId, String action, String tag) {
    public static final String RESUME = "resume";
    public static final String ROLLBACK = "rollback";
}
