package dev.opsbot.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code opsbot --version}: the project's version and the commit the build was made from (bot-app/pom.xml fills them in). */
final class BuildVersion implements IVersionProvider {

    @Override
    public String[] getVersion() throws IOException {
        Properties build = new Properties();
        try (InputStream in = BuildVersion.class.getResourceAsStream("version.properties")) {
            if (in != null) build.load(in);
        }
        return new String[] {"opsbot " + filled(build, "version") + " (commit " + filled(build, "commit") + ")"};
    }

    /** A value the build did not fill in (run from unfiltered sources) is unknown. */
    private static String filled(Properties build, String key) {
        String value = build.getProperty(key, "");
        return value.isBlank() || value.startsWith("${") ? "unknown" : value;
    }
}
