package dev.opsbot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The bot's GC log (-Xlog:gc): heap in use before and after each collection. */
final class GcLog {
    private static final Pattern PAUSE = Pattern.compile(
            "Pause (Young|Full) \\(([^)]*)\\)\\s+(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

    record Pause(boolean full, String cause, double beforeMiB, double afterMiB) { }

    private GcLog() {
    }

    static List<Pause> read(Path log) throws IOException {
        List<Pause> out = new ArrayList<>();
        if (!Files.exists(log)) return out;
        for (String line : Files.readAllLines(log)) {
            Matcher m = PAUSE.matcher(line);
            if (m.find()) {
                out.add(new Pause(m.group(1).equals("Full"), m.group(2), mib(m.group(3), m.group(4)), mib(m.group(5), m.group(6))));
            }
        }
        return out;
    }

    private static double mib(String n, String unit) {
        double v = Double.parseDouble(n);
        return switch (unit) {
            case "K" -> v / 1024;
            case "G" -> v * 1024;
            default -> v;
        };
    }
}
