package dev.opsbot.core.secrets;

import dev.opsbot.core.compose.ComposeException;
import dev.opsbot.core.compose.EnvFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Which services of a compose file read a variable: through an {@code env_file} that defines
 * it, or through {@code ${VAR}} / {@code $VAR} anywhere in the service's definition. Those are
 * the services to recreate after the variable changed.
 */
public final class SecretUsage {
    private SecretUsage() {
    }

    public static List<String> services(Path composeFile, Path envFile, String variable) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(composeFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ComposeException("cannot read compose file " + composeFile + ": " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> top) || !(top.get("services") instanceof Map<?, ?> services)) return List.of();
        Path dir = composeFile.toAbsolutePath().getParent();
        Path env = envFile.toAbsolutePath().normalize();
        boolean envDefines = Files.isRegularFile(env) && EnvFile.read(env).containsKey(variable);
        Pattern reference = Pattern.compile("\\$(\\{" + Pattern.quote(variable) + "([:?}-]|$)|" + Pattern.quote(variable) + "(?![A-Za-z0-9_]))");
        List<String> using = new ArrayList<>();
        for (Map.Entry<?, ?> e : services.entrySet()) {
            if (!(e.getValue() instanceof Map<?, ?> body)) continue;
            boolean uses = envDefines && envFiles(body.get("env_file")).stream()
                    .anyMatch(f -> dir.resolve(f).toAbsolutePath().normalize().equals(env));
            if (!uses) uses = mentions(body, reference);
            if (uses) using.add(String.valueOf(e.getKey()));
        }
        return using;
    }

    private static List<String> envFiles(Object decl) {
        List<String> files = new ArrayList<>();
        if (decl instanceof String s) files.add(s);
        if (decl instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof String s) files.add(s);
                if (o instanceof Map<?, ?> m && m.get("path") instanceof String s) files.add(s);
            }
        }
        return files;
    }

    private static boolean mentions(Object node, Pattern reference) {
        if (node instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (mentions(e.getKey(), reference) || mentions(e.getValue(), reference)) return true;
            }
            return false;
        }
        if (node instanceof List<?> l) return l.stream().anyMatch(o -> mentions(o, reference));
        // "$$" is a literal dollar in compose files, not a reference.
        return node != null && reference.matcher(String.valueOf(node).replace("$$", "")).find();
    }
}
