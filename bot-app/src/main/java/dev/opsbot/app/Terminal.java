package dev.opsbot.app;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/** What the {@code opsbot} process was started with: its streams and its environment variables. */
record Terminal(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
}
