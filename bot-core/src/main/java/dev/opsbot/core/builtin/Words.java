package dev.opsbot.core.builtin;

import dev.opsbot.core.command.Invocation;
import dev.opsbot.core.command.UsageException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** What several built-ins say the same way: times in lists, people by name, "takes no arguments". */
final class Words {
    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private Words() {
    }

    /** A person's name from the {@code platform:id} form audit rows and records keep. */
    static String user(String key) {
        return key.replaceFirst("^[^:]*:", "");
    }

    static void noArguments(Invocation inv) {
        if (!inv.args().isEmpty() || !inv.flags().isEmpty()) {
            throw new UsageException("This command takes no arguments.", "/ops " + inv.verb());
        }
    }

    /** A whole number typed as {@code what}, within bounds. */
    static int number(String text, String what, int min, int max, String usage) {
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UsageException("'" + text + "' is not a number.", usage);
        }
        if (n < min || n > max) throw new UsageException(what + " must be between " + min + " and " + max + ".", usage);
        return n;
    }
}
