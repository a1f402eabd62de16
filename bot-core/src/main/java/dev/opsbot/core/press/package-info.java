/**
 * What pressing a button does: {@link dev.opsbot.core.press.Presses} checks a press against the
 * button's stored state (known, this channel, not decided, not expired) and hands it to the one
 * handler of its payload's kind. Confirmations, approvals, recoveries after a restart and the
 * rollback offer after a failed run each live in their own class, which both asks (posts the
 * buttons) and answers (handles the press).
 */
package dev.opsbot.core.press;
