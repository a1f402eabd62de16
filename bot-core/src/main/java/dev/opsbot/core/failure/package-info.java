/** The exception root and its two branches: refused requests and failed operations. */
package dev.opsbot.core.failure;
