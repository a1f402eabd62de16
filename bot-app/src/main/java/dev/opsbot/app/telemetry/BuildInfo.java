package dev.opsbot.app.telemetry;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** What was built: the version Maven wrote into {@code dev/opsbot/app/build.properties}. */
public record BuildInfo(String version) {

    public static BuildInfo read() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/dev/opsbot/app/build.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // an unreadable resource means an unknown version, not a bot that cannot start
        }
        String version = p.getProperty("version", "");
        return new BuildInfo(version.isBlank() || version.startsWith("${") ? "unknown" : version);
    }
}
