package dev.opsbot.core.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.testing.ClearMessage;
import dev.opsbot.core.testing.RandomText;
import dev.opsbot.core.testing.RepoRoot;
import dev.opsbot.core.testing.Tries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Any compose file (with any .env beside it) reads as a project the way Compose reads it, or is
 * refused with a message in words: generated stacks, the demo stack edited at random, and
 * values of every type where the loader expects text.
 */
@Tag("property")
class ComposeLoaderPropertyTest {
    static final int TRIES = 2_000;
    private static final List<String> SERVICE_KEYS = List.of("image", "command", "entrypoint", "environment", "env_file", "ports",
            "volumes", "networks", "depends_on", "healthcheck", "restart", "labels", "init", "user", "working_dir", "build", "scale");

    @TempDir
    Path dir;

    @BeforeEach
    void envFile() throws IOException {
        Files.writeString(dir.resolve("app.env"), "FROM_FILE=1\n");
    }

    @Test
    void stacksWrittenRightReadAsWritten() {
        Tries.check(TRIES, Stack::generate, stack -> {
            ComposeProject p = load(stack.text(), stack.env());
            assertEquals(stack.services(), List.copyOf(p.services().keySet()));
            stack.images().forEach((service, image) -> assertEquals(image, p.require(service).image(), "image of " + service));
            stack.ports().forEach((service, port) -> assertEquals(port, p.require(service).ports().get(0).containerPort()));
            List<String> order = p.startOrder(stack.services());
            for (String s : stack.services()) {
                for (String dep : p.require(s).dependsOn()) assertTrue(order.indexOf(dep) < order.indexOf(s), dep + " starts before " + s);
            }
        });
    }

    @Test
    void anyComposeFileReadsOrIsRefusedInWords() throws IOException {
        String demo = Files.readString(RepoRoot.get().resolve("examples/demo/docker-compose.yml"));
        Tries.check(TRIES, r -> {
            String env = r.nextInt(3) == 0 ? RandomText.mutate(r, "TAG=sha-abc1234\nPORT=8080\nexport A='x y'\n") : "TAG=sha-abc1234\n";
            String text = switch (r.nextInt(5)) {
                case 0, 1 -> dump(oneFieldWrong(r));
                case 2 -> RandomText.mutate(r, dump(oneFieldWrong(r)));
                case 3 -> RandomText.mutate(r, demo);
                default -> dump(anyShape(r));
            };
            return new Written(text, env);
        }, f -> List.of(), files -> {
            ComposeProject p;
            try {
                p = load(files.compose(), files.env());
                p.startOrder(p.services().keySet());
            } catch (ComposeException e) {
                ClearMessage.check("the refusal", e.getMessage());
                return;
            }
            for (ServiceSpec s : p.services().values()) {
                s.ports().forEach(port -> assertTrue(port.containerPort() >= 1 && port.containerPort() <= 65535, "port " + port));
                ServiceSpec.Health h = s.healthcheck();
                if (h == null) continue;
                for (Duration d : Arrays.asList(h.interval(), h.timeout(), h.startPeriod())) {
                    assertTrue(d == null || !d.isNegative(), s.name() + ": a negative duration " + d);
                }
            }
        });
    }

    private ComposeProject load(String compose, String env) {
        try {
            Files.write(dir.resolve("docker-compose.yml"), utf8(compose));
            Files.write(dir.resolve(".env"), utf8(env));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ComposeLoader(Map.of("FROM_PROCESS", "p")).load(dir.resolve("docker-compose.yml"), "props");
    }

    /** UTF-8, half a surrogate pair written as an editor might leave it. */
    private static byte[] utf8(String text) {
        return text.replaceAll("\\p{Cs}", "\ufffd").getBytes(StandardCharsets.UTF_8);
    }

    private record Written(String compose, String env) {
        @Override
        public String toString() {
            return compose + "\n--- .env:\n" + env;
        }
    }

    private static String dump(Map<String, Object> yaml) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        // Control characters as escapes in quotes, as a person would write them (not as !!binary).
        options.setNonPrintableStyle(DumperOptions.NonPrintableStyle.ESCAPE);
        return new Yaml(options).dump(yaml);
    }

    /** A stack as people write one: services depending only on those above them, ports, volumes, variables with defaults. */
    private record Stack(Map<String, Object> top, String env, List<String> services, Map<String, String> images,
                         Map<String, Integer> ports) {
        String text() {
            return dump(top);
        }

        static Stack generate(Random r) {
            Map<String, Object> top = new LinkedHashMap<>();
            Map<String, Object> services = new LinkedHashMap<>();
            Map<String, String> images = new LinkedHashMap<>();
            Map<String, Integer> ports = new LinkedHashMap<>();
            List<String> names = new ArrayList<>();
            int count = 1 + r.nextInt(5);
            for (int i = 0; i < count; i++) {
                String name = RandomText.name(r, 12);
                if (names.contains(name)) continue;
                Map<String, Object> s = new LinkedHashMap<>();
                String tag = "sha-" + Long.toHexString(r.nextLong() | 1L << 60).substring(0, 7);
                switch (r.nextInt(3)) {
                    case 0 -> {
                        s.put("image", "127.0.0.1:5000/demo/" + name + ":" + tag);
                        images.put(name, "127.0.0.1:5000/demo/" + name + ":" + tag);
                    }
                    case 1 -> {
                        s.put("image", "demo/" + name + ":${TAG}");
                        images.put(name, "demo/" + name + ":sha-abc1234");
                    }
                    default -> {
                        s.put("image", "demo/" + name + ":${MISSING:-" + tag + "}");
                        images.put(name, "demo/" + name + ":" + tag);
                    }
                }
                if (r.nextBoolean()) {
                    int port = 1 + r.nextInt(65535);
                    ports.put(name, port);
                    s.put("ports", List.of(RandomText.pick(r, List.of(port + "", "${PORT}:" + port, "127.0.0.1:9" + i + "00:" + port + "/udp"))));
                }
                if (r.nextBoolean()) s.put("volumes", List.of(r.nextBoolean() ? "data:/data" : "./conf:/etc/conf:ro"));
                if (r.nextBoolean()) s.put("environment", r.nextBoolean() ? Map.of("A", "1", "B", "${FROM_PROCESS}") : List.of("A=1", "B=$$x"));
                if (r.nextInt(3) == 0) s.put("env_file", "app.env");
                if (!names.isEmpty() && r.nextBoolean()) {
                    String dep = RandomText.pick(r, names);
                    s.put("depends_on", r.nextBoolean() ? List.of(dep) : Map.of(dep, Map.of("condition", "service_healthy")));
                }
                if (r.nextBoolean()) {
                    s.put("healthcheck", Map.of("test", r.nextBoolean() ? List.of("CMD", "true") : "wget -qO- http://localhost/",
                            "interval", RandomText.pick(r, List.of("2s", "1m30s", "500ms")), "retries", 1 + r.nextInt(5)));
                }
                if (r.nextBoolean()) s.put("command", r.nextBoolean() ? "sh -c 'echo \"$$HOME\"'" : List.of("sleep", "1000"));
                if (r.nextBoolean()) s.put("init", true);
                services.put(name, s);
                names.add(name);
            }
            top.put("services", services);
            top.put("volumes", Map.of("data", Map.of()));
            return new Stack(top, "TAG=sha-abc1234\nPORT=8080\n", names, images, ports);
        }
    }

    /** A stack written right but for a field or two of one service, given a value of any type. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> oneFieldWrong(Random r) {
        Stack stack = Stack.generate(r);
        Map<String, Object> services = (Map<String, Object>) stack.top().get("services");
        Map<String, Object> service = (Map<String, Object>) services.get(RandomText.pick(r, stack.services()));
        for (int i = 1 + r.nextInt(2); i > 0; i--) {
            String key = RandomText.pick(r, SERVICE_KEYS);
            service.put(key, r.nextBoolean() ? value(r) : oddFor(r, key, stack.services()));
        }
        return stack.top();
    }

    /** A value that is nearly right for {@code key}: the mistakes people make there. */
    private static Object oddFor(Random r, String key, List<String> services) {
        List<Object> odd = switch (key) {
            case "ports" -> List.of("99999:80", "80:80:80:80", "a:b", ":", "-1:80", "\u0668\u0660:80", "80/", "${PORT:?set PORT}:80");
            case "volumes" -> List.of("./a\u0000b:/x", "~\u0000:/x", ":/x", "a:", "nope:/x", "/x", "~/x:/x", "./x:/x:ro:z");
            case "env_file" -> List.of("a\u0000b.env", "missing.env", "", ".", "..", "${NOPE}", "/etc/hostname");
            case "healthcheck" -> List.of(Map.of("test", "true", "interval", "99999999999999999999h"),
                    Map.of("test", List.of("CMD", "true"), "timeout", "9223372036s"), Map.of("test", List.of()), Map.of("disable", true),
                    Map.of("test", "true", "retries", "three"), Map.of("test", "true", "start_period", "1d"));
            case "depends_on" -> List.of(List.of("nobody"), List.copyOf(services), Map.of(services.get(0), "yes"));
            case "networks" -> List.of(List.of("front"), Map.of("default", Map.of()), "default");
            case "image" -> List.of("${TAG", "img:${TAG:?set TAG}", "img:${A:-${B}}", "", "img@sha256:abc", 5);
            case "command", "entrypoint" -> List.of("sh -c 'echo", "sh -c \"a\\\"", "\\", List.of(1, 2));
            default -> List.of(List.of(), Map.of(), "", 0);
        };
        return RandomText.pick(r, odd);
    }

    /** Compose of any shape: the keys Compose has (and some it does not) with values of any type. */
    private static Map<String, Object> anyShape(Random r) {
        Map<String, Object> top = new LinkedHashMap<>();
        Map<String, Object> services = new LinkedHashMap<>();
        for (int i = r.nextInt(4); i >= 0; i--) {
            Map<String, Object> s = new LinkedHashMap<>();
            for (String key : SERVICE_KEYS) if (r.nextInt(4) == 0) s.put(key, value(r));
            if (r.nextInt(4) != 0) s.put("image", r.nextBoolean() ? "img:" + RandomText.name(r, 6) : value(r));
            services.put(r.nextInt(8) == 0 ? RandomText.any(r, 8).replaceAll("\\p{Cs}", "?") : RandomText.name(r, 8), r.nextInt(10) == 0 ? value(r) : s);
        }
        top.put("services", r.nextInt(15) == 0 ? value(r) : services);
        if (r.nextBoolean()) top.put("volumes", r.nextBoolean() ? Map.of("data", Map.of("name", value(r) == null ? "x" : "v")) : value(r));
        if (r.nextBoolean()) top.put("networks", r.nextBoolean() ? Map.of("front", Map.of()) : value(r));
        if (r.nextInt(4) == 0) top.put("name", value(r));
        return top;
    }

    private static Object value(Random r) {
        return switch (r.nextInt(14)) {
            case 0 -> RandomText.any(r, 30).replaceAll("\\p{Cs}", "?");
            case 1 -> r.nextInt();
            case 2 -> RandomText.pick(r, List.of(0, -1, 65536, Long.MAX_VALUE, 1.5, true, false));
            case 3 -> null;
            case 4 -> List.of();
            case 5 -> List.of(RandomText.any(r, 12).replaceAll("\\p{Cs}", "?"), RandomText.name(r, 5));
            case 6 -> Map.of(RandomText.name(r, 5), RandomText.any(r, 8).replaceAll("\\p{Cs}", "?"));
            case 7 -> RandomText.pick(r, List.of("${A", "${A:?needed}", "${A:-${B}}", "$$", "${}", "$", "${A-}", "${:-x}"));
            case 8 -> RandomText.pick(r, List.of("80", "8080:80", "1.2.3.4:80:80/udp", "80:80:80:80", "99999:80", "a:b", ":", "-1:80",
                    "\u0668\u0660:80"));
            case 9 -> RandomText.pick(r, List.of("data:/data", "./x:/x:ro", "~/x:/x", "/abs:/abs", "/x", "nope:/x", "./a\u0000b:/x",
                    "~\u0000:/x", ":/x", "a:"));
            case 10 -> RandomText.pick(r, List.of("app.env", "missing.env", "", ".", "..", "a\u0000b.env", "/etc/hostname", "${NOPE}"));
            case 11 -> Map.of("test", value(r) == null ? "true" : "x", "interval", RandomText.pick(r, List.of("2s", "-1s", "1d",
                    "99999999999999999999h", "9223372036s", "106752d", "s", "")), "retries", r.nextInt(5));
            case 12 -> Map.of(RandomText.name(r, 5), Map.of("condition", "service_started"));
            default -> RandomText.name(r, 8);
        };
    }
}
