package dev.opsbot.app;

import dev.opsbot.app.management.ManagementSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code bin/opsbot health [--config FILE]}: asks the running bot's {@code /readyz} on this host,
 * prints the answer and exits 0 when it is ready, 1 when not or when nothing answers. A container's
 * {@code HEALTHCHECK} runs it: a Java runtime image need not have curl or wget.
 */
public final class ReadinessProbe {
    private static final int TIMEOUT_MILLIS = 5000;

    private ReadinessProbe() {
    }

    public static void main(String[] args) {
        Path config = Path.of("opsbot.yml");
        if (args.length == 2 && args[0].equals("--config")) config = Path.of(args[1]);
        ManagementSettings settings;
        try {
            settings = AppConfig.load(Path.of("").toAbsolutePath(), config, System.getenv()).management();
        } catch (RuntimeException e) {
            System.err.println("opsbot health: configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (!settings.enabled()) {
            System.err.println("opsbot health: the management listener is off (management.port 0)");
            System.exit(2);
        }
        System.exit(ask(settings) ? 0 : 1);
    }

    private static boolean ask(ManagementSettings settings) {
        String host = settings.localAddress().contains(":") ? "[" + settings.localAddress() + "]" : settings.localAddress();
        URI uri = URI.create("http://" + host + ":" + settings.port() + "/readyz");
        try {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            c.setConnectTimeout(TIMEOUT_MILLIS);
            c.setReadTimeout(TIMEOUT_MILLIS);
            int status = c.getResponseCode();
            try (InputStream body = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                if (body != null) System.out.println(new String(body.readAllBytes(), StandardCharsets.UTF_8).strip());
            }
            return status == 200;
        } catch (IOException e) {
            System.out.println("opsbot health: nothing answers at " + uri + ": " + e.getMessage());
            return false;
        }
    }
}
