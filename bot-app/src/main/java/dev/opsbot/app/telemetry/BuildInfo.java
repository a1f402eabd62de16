package dev.opsbot.app.telemetry;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What was built: the project's version and the commit it was built from, as the build wrote
 * them into {@code dev/opsbot/app/version.properties} ("unknown" where it did not).
 */
public record BuildInfo(String version, String commit) {

    public static BuildInfo read() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/dev/opsbot/app/version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // an unreadable resource means an unknown version, not a bot that cannot start
        }
        return new BuildInfo(filled(p, "version"), filled(p, "commit"));
    }

    /** A value the build did not fill in (run from unfiltered sources) is unknown. */
    private static String filled(Properties build, String key) {
        String value = build.getProperty(key, "");
        return value.isBlank() || value.startsWith("${") ? "unknown" : value;
    }
}
