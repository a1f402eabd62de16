/**
 * Buttons as typed tokens: what a press does is a {@link dev.opsbot.core.button.Payload}, kept
 * with the button's state in the database ({@link dev.opsbot.core.button.ButtonStore}); the token
 * on the platform is a random id of that row. {@link dev.opsbot.core.button.PendingButtons}
 * offers buttons and decides them, atomically and once per message.
 */
package dev.opsbot.core.button;
