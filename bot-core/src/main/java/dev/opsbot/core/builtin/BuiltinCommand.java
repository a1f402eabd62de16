package dev.opsbot.core.builtin;

import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.command.CommandSpec;
import dev.opsbot.core.command.Invocation;

/**
 * A command the bot answers itself. Adding one is one class implementing this, listed in
 * {@code META-INF/services/dev.opsbot.core.builtin.BuiltinCommand}, plus its line in the docs.
 */
public interface BuiltinCommand {

    /** Its verb, summary, usage line and typed options. */
    CommandSpec spec();

    /** The role a person needs (null: anyone). */
    default String role() {
        return AccessPolicy.VIEWER;
    }

    /** Whether the answer concerns only the person who asked (it is then shown to them alone). */
    default boolean answersPrivately() {
        return false;
    }

    /** Whether command menus offer it; one that should only ever be typed on purpose says no. */
    default boolean inMenus() {
        return true;
    }

    /** The answer; a {@link dev.opsbot.core.command.UsageException} when it was typed wrong. */
    Message handle(Invocation invocation, Origin origin, BuiltinContext context);

    default String verb() {
        return spec().verb();
    }
}
