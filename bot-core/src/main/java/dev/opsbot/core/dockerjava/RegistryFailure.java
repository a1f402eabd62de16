package dev.opsbot.core.dockerjava;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Why the engine could not fetch an image from its registry, said first in plain words: the
 * engine's own text ({@code Get "http://reg:5000/v2/": dial tcp reg:5000: connect: connection
 * refused}) names the cause only deep inside. Only failures to reach the registry are recognised;
 * an answer from it (unknown tag, denied) is left in the engine's words.
 */
final class RegistryFailure {
    private record Cause(String engineText, String words) { }

    private static final List<Cause> CAUSES = List.of(
            new Cause("connection refused", "connection refused"),
            new Cause("no such host", "unknown host"),
            new Cause("i/o timeout", "no answer in time"),
            new Cause("client.timeout exceeded", "no answer in time"),
            new Cause("context deadline exceeded", "no answer in time"),
            new Cause("connection reset", "connection reset"),
            new Cause("no route to host", "no route to host"),
            new Cause("network is unreachable", "network unreachable"));

    private RegistryFailure() {
    }

    /** "the registry reg:5000 cannot be reached (connection refused)", when the engine's text says so. */
    static Optional<String> unreachable(String registry, String engineText) {
        String lower = engineText.toLowerCase(Locale.ROOT);
        for (Cause c : CAUSES) {
            if (lower.contains(c.engineText())) return Optional.of("the registry " + registry + " cannot be reached (" + c.words() + ")");
        }
        return Optional.empty();
    }

    /** The registry part of an image's repository: Docker Hub when the first part is no host name. */
    static String registryOf(String repository) {
        int slash = repository.indexOf('/');
        if (slash < 0) return "docker.io";
        String first = repository.substring(0, slash);
        return first.contains(".") || first.contains(":") || first.equals("localhost") ? first : "docker.io";
    }
}
