package dev.opsbot.core.runbook;

/** The kinds of runbook parameter and what each accepts. */
public enum ParamKind {
    /** An image tag: {@code sha-} and 7 to 40 hex digits, or a version like {@code 0.1.0}. */
    TAG,
    /** A service of the compose file (optionally restricted to a list). */
    SERVICE,
    /** One of a fixed list of words. */
    ENUM,
    /** Text matching a regular expression in full. */
    PATTERN,
    /** A whole number within bounds. */
    INT
}
