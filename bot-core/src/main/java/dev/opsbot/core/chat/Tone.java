package dev.opsbot.core.chat;

/** How a message should feel; adapters map it to a colour or an emoji. */
public enum Tone {
    INFO, PROGRESS, SUCCESS, WARNING, FAILURE
}
