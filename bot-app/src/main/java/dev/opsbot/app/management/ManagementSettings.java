package dev.opsbot.app.management;

import java.util.Map;
import java.util.Set;

/**
 * Where the management listener ({@code /healthz}, {@code /readyz}, {@code /metrics}) listens:
 * {@code management: {address, port}} in opsbot.yml, {@code OPSBOT_MANAGEMENT_ADDRESS} and
 * {@code OPSBOT_MANAGEMENT_PORT} in the environment. Loopback unless configured otherwise; port 0
 * turns it off.
 */
public record ManagementSettings(String address, int port) {
    public static final String DEFAULT_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_PORT = 9464;
    public static final ManagementSettings DEFAULT = new ManagementSettings(DEFAULT_ADDRESS, DEFAULT_PORT);
    private static final Set<String> KEYS = Set.of("address", "port");

    public ManagementSettings {
        if (address == null || address.isBlank()) throw new IllegalArgumentException("management.address is empty");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("management.port must be 0 (off) to 65535, not " + port);
        address = address.strip();
    }

    public boolean enabled() {
        return port != 0;
    }

    /**
     * The {@code management:} section (null when absent) under the environment's variables.
     *
     * @throws IllegalArgumentException with the setting and why, for the configuration's message
     */
    public static ManagementSettings read(Object section, Map<String, String> env) {
        Map<?, ?> yaml = Map.of();
        if (section instanceof Map<?, ?> m) {
            yaml = m;
        } else if (section != null) {
            throw new IllegalArgumentException("management: expected address and port, e.g. {address: 127.0.0.1, port: 9464}");
        }
        for (Object k : yaml.keySet()) {
            if (!KEYS.contains(String.valueOf(k))) throw new IllegalArgumentException("management: unknown setting '" + k + "' (known: [address, port])");
        }
        String address = pick(env.get("OPSBOT_MANAGEMENT_ADDRESS"), yaml.get("address"), DEFAULT_ADDRESS);
        String port = pick(env.get("OPSBOT_MANAGEMENT_PORT"), yaml.get("port"), String.valueOf(DEFAULT_PORT));
        try {
            return new ManagementSettings(address, Integer.parseInt(port.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("management.port is not a port number: " + port);
        }
    }

    /** The address to reach the listener at from this host: loopback when it listens on every address. */
    public String localAddress() {
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]") ? DEFAULT_ADDRESS : address;
    }

    private static String pick(String env, Object yaml, String fallback) {
        if (env != null && !env.isBlank()) return env;
        if (yaml != null) return String.valueOf(yaml);
        return fallback;
    }
}
