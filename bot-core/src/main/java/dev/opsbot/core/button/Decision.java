package dev.opsbot.core.button;

/**
 * How a group of buttons was decided, stored with it in the words "already decided" answers
 * show ("This was confirmed by alice at 10:02 UTC").
 */
public enum Decision {
    CONFIRM("confirm", "confirmed"),
    CANCEL("cancel", "cancelled"),
    APPROVE("approve", "approved"),
    DENY("deny", "denied"),
    ANSWER("answer", "answered"),
    PRESS("press", "pressed"),
    SUBMIT("submit", "submitted"),
    RESUME("resume", "resumed"),
    ROLL_BACK("roll back", "rolled back"),
    ACKNOWLEDGE("acknowledge", "acknowledged"),
    CLOSE("close", "closed"),
    EXPIRE("expire", "expired");

    private final String verb;
    private final String word;

    Decision(String verb, String word) {
        this.verb = verb;
        this.word = word;
    }

    /** The verb, as in "Only alice can confirm this". */
    public String verb() {
        return verb;
    }

    /** The past participle stored in the database and shown to people. */
    public String word() {
        return word;
    }
}
