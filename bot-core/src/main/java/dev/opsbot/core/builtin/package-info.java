/**
 * The verbs every bot answers whatever its runbooks ({@code help}, {@code ps}, {@code logs},
 * {@code history}, {@code cancel}, {@code unlock}, {@code audit}, {@code alerts}, {@code mute},
 * {@code envs}): one class per command behind {@link dev.opsbot.core.builtin.BuiltinCommand},
 * found through {@link java.util.ServiceLoader} in the order of
 * {@code META-INF/services/dev.opsbot.core.builtin.BuiltinCommand}. Help, the console's help and
 * the chat platforms' command menus are generated from their {@link dev.opsbot.core.command.CommandSpec}.
 */
package dev.opsbot.core.builtin;
