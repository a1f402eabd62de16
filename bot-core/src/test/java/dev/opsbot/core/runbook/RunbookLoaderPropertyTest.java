package dev.opsbot.core.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.testing.ClearMessage;
import dev.opsbot.core.testing.RandomText;
import dev.opsbot.core.testing.RepoRoot;
import dev.opsbot.core.testing.Tries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Any file in the runbooks folder loads as written, or is refused with its name, a line of the
 * file and what is wrong there, in words: generated runbooks of every step kind with fields of
 * every shape, the shipped runbooks edited at random, and text that is hardly YAML at all.
 */
@Tag("property")
class RunbookLoaderPropertyTest {
    static final int TRIES = 3_000;
    private static final Pattern WHERE = Pattern.compile("(?s)broken\\.yml:(\\d+): (.+)");
    private static final List<String> PARAM_KINDS = List.of("tag", "service", "enum", "pattern", "int", "colour");
    private final RunbookLoader loader = new RunbookLoader();
    private final StepKinds kinds = StepKinds.discovered();

    @TempDir
    Path dir;

    @Test
    void runbooksWrittenRightLoadAsWritten() {
        Tries.check(TRIES, this::wellFormed, written -> {
            Runbook r = loader.load(write(dump(written.yaml())));
            assertEquals(written.yaml().get("name"), r.name());
            assertEquals(written.yaml().get("summary"), r.summary());
            assertEquals(Boolean.TRUE.equals(written.yaml().get("mutates")), r.mutates());
            assertEquals(written.stepCount(), r.steps().size());
            assertEquals(written.paramNames(), r.params().stream().map(Parameter::name).toList());
            for (Parameter p : r.params()) assertDefaultFits(p);
        });
    }

    @Test
    void anyRunbookLoadsOrIsRefusedWithFileLineAndWords() {
        List<String> shipped = shipped();
        Tries.check(TRIES, r -> switch (r.nextInt(4)) {
            case 0 -> dump(anyShape(r));
            case 1 -> RandomText.mutate(r, dump(anyShape(r)));
            case 2 -> RandomText.mutate(r, RandomText.pick(r, shipped));
            default -> oddYaml(r);
        }, Tries::shorter, text -> {
            Path file = write(text);
            Runbook loaded;
            try {
                loaded = loader.load(file);
            } catch (RunbookException e) {
                Matcher m = WHERE.matcher(e.getMessage());
                assertTrue(m.matches(), "file and line first: " + Tries.show(e.getMessage()));
                int line = Integer.parseInt(m.group(1));
                // Lines as YAML counts them: NEL and the Unicode line and paragraph separators end one too.
                long lines = text.split("\r\n|[\n\r\u0085\u2028\u2029]", -1).length;
                assertTrue(line >= 1 && line <= lines, "line " + line + " of " + lines);
                ClearMessage.check("the problem", m.group(2));
                return;
            }
            for (Parameter p : loaded.params()) assertDefaultFits(p);
        });
    }

    @Test
    void aDefaultIsAValueItsParameterAccepts() {
        List<String> defaults = List.of("sha-abc1234", "0.1.0", "latest", "worker", "database", "safe", "slow", "3", "0", "11", "+3",
                "\u0663", "ABC", "abc", "", "${tag}");
        Tries.check(TRIES, r -> {
            Map<String, Object> p = parameter(r, "p");
            p.put("default", RandomText.pick(r, defaults));
            if (r.nextInt(4) == 0 && p.get("kind").equals("int")) p.put("min", 20);
            Map<String, Object> y = new LinkedHashMap<>();
            y.put("name", "x");
            y.put("params", List.of(p));
            y.put("steps", List.of(Map.of("ps", Map.of())));
            return dump(y);
        }, text -> {
            Runbook loaded;
            try {
                loaded = loader.load(write(text));
            } catch (RunbookException e) {
                Matcher m = WHERE.matcher(e.getMessage());
                assertTrue(m.matches() && m.group(2).matches("(the default does not fit|min \\d+ is above max).*"), e.getMessage());
                ClearMessage.check("the problem", m.group(2));
                return;
            }
            assertDefaultFits(loaded.params().get(0));
        });
    }

    /** A default is a value the parameter accepts: a runbook cannot smuggle in what nobody could type. */
    private static void assertDefaultFits(Parameter p) {
        String d = p.defaultValue();
        if (d == null) return;
        boolean fits = switch (p.kind()) {
            case TAG -> Parameter.TAG.matcher(d).matches();
            case SERVICE -> p.values().isEmpty() || p.values().contains(d);
            case ENUM -> p.values().contains(d);
            case PATTERN -> p.pattern().matcher(d).matches();
            case INT -> d.matches("-?[0-9]+") && Long.parseLong(d) >= p.min() && Long.parseLong(d) <= p.max();
        };
        assertTrue(fits, "default " + Tries.show(d) + " of " + p.name() + " does not fit " + p.kind());
    }

    /** The text as a file would hold it: UTF-8, and half a surrogate pair as the three bytes an editor might leave (not UTF-8). */
    private Path write(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes.writeBytes(text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes.writeBytes(new byte[] {(byte) (0xe0 | c >> 12), (byte) (0x80 | (c >> 6) & 0x3f), (byte) (0x80 | c & 0x3f)});
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return Files.write(dir.resolve("broken.yml"), bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The structure as YAML (half a surrogate pair cannot be written, so generated texts have none; the edits add them). */
    private static String dump(Map<String, Object> yaml) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        // Control characters as escapes in quotes, as a person would write them (not as !!binary).
        options.setNonPrintableStyle(DumperOptions.NonPrintableStyle.ESCAPE);
        return new Yaml(options).dump(yaml);
    }

    private static List<String> shipped() {
        List<String> out = new ArrayList<>();
        for (Path folder : List.of(RepoRoot.get().resolve("runbooks"), RepoRoot.get().resolve("runbooks/swarm"))) {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) out.add(Files.readString(f));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private record Written(Map<String, Object> yaml, int stepCount, List<String> paramNames) {
        @Override
        public String toString() {
            return dump(yaml);
        }
    }

    /** A runbook as its reference describes one: steps of kinds whose fields are simple to write right. */
    private Written wellFormed(Random r) {
        Map<String, Object> y = new LinkedHashMap<>();
        y.put("name", RandomText.name(r, 40));
        y.put("summary", RandomText.any(r, 60).replaceAll("[\\p{Cc}\\p{Cs}\\p{Cf}\\x{2028}\\x{2029}\\x{85}]", "?"));
        y.put("mutates", r.nextBoolean());
        if (r.nextBoolean()) y.put("step-timeout", (1 + r.nextInt(600)) + RandomText.pick(r, List.of("s", "m", "ms")));
        List<String> names = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            String name = RandomText.name(r, 10);
            if (names.contains(name)) continue;
            names.add(name);
            params.add(parameter(r, name));
        }
        if (!params.isEmpty()) y.put("params", params);
        List<Object> steps = new ArrayList<>();
        int count = 1 + r.nextInt(6);
        for (int i = 0; i < count; i++) {
            String placeholder = names.isEmpty() ? "sha-abc1234" : "${" + RandomText.pick(r, names) + "}";
            Map<String, Object> step = new LinkedHashMap<>();
            switch (r.nextInt(7)) {
                case 0 -> step.put("ps", Map.of());
                case 1 -> step.put("pull", Map.of("services", List.of("backend", "worker"), "tag", placeholder));
                case 2 -> step.put("pin", Map.of("services", List.of("backend"), "tag", placeholder));
                case 3 -> step.put("up", Map.of("remove-orphans", r.nextBoolean()));
                case 4 -> step.put("logs", Map.of("services", List.of("backend"), "tail", r.nextInt(1000)));
                case 5 -> step.put("http-check", Map.of("service", "proxy", "port", 80, "path", "/health", "retries", 1 + r.nextInt(9)));
                default -> step.put("run", Map.of("service", "backend", "command", List.of("alembic", "upgrade", placeholder)));
            }
            if (r.nextInt(4) == 0) step.put("title", RandomText.name(r, 20));
            if (r.nextInt(4) == 0) step.put("timeout", (1 + r.nextInt(90)) + "s");
            steps.add(step);
        }
        y.put("steps", steps);
        return new Written(y, count, names);
    }

    private static Map<String, Object> parameter(Random r, String name) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", name);
        switch (r.nextInt(5)) {
            case 0 -> {
                p.put("kind", "tag");
                if (r.nextBoolean()) p.put("default", "sha-" + Long.toHexString(r.nextLong() | 0x1000_0000L));
            }
            case 1 -> {
                p.put("kind", "service");
                p.put("of", List.of("backend", "worker"));
                if (r.nextBoolean()) p.put("default", "worker");
            }
            case 2 -> {
                p.put("kind", "enum");
                p.put("values", List.of("fast", "safe"));
                if (r.nextBoolean()) p.put("default", "safe");
            }
            case 3 -> {
                p.put("kind", "int");
                p.put("min", 1);
                p.put("max", 10);
                if (r.nextBoolean()) p.put("default", String.valueOf(1 + r.nextInt(10)));
            }
            default -> {
                p.put("kind", "pattern");
                p.put("pattern", "[A-Z]+");
                if (r.nextBoolean()) p.put("default", "ABC");
            }
        }
        if (r.nextBoolean()) p.put("flag", true);
        return p;
    }

    /** A runbook of any shape: every step kind with its fields (and others) given values of any type. */
    private Map<String, Object> anyShape(Random r) {
        Map<String, Object> y = new LinkedHashMap<>();
        y.put("name", r.nextInt(5) == 0 ? value(r) : RandomText.name(r, 45));
        if (r.nextBoolean()) y.put("summary", value(r));
        if (r.nextInt(3) == 0) y.put("mutates", value(r));
        if (r.nextInt(3) == 0) y.put("step-timeout", duration(r));
        if (r.nextInt(4) == 0) y.put("on-failure", r.nextBoolean() ? "offer-rollback" : value(r));
        if (r.nextInt(4) == 0) {
            Map<String, Object> approval = new LinkedHashMap<>();
            approval.put("approvers", value(r));
            approval.put("expires", duration(r));
            y.put("approval", approval);
        }
        if (r.nextInt(6) == 0) y.put(RandomText.name(r, 8), value(r));
        List<Object> params = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", r.nextInt(6) == 0 ? value(r) : RandomText.name(r, 6));
            p.put("kind", RandomText.pick(r, PARAM_KINDS));
            for (String key : List.of("default", "values", "of", "pattern", "min", "max", "flag", "required", "default-from")) {
                if (r.nextInt(4) == 0) p.put(key, key.equals("pattern") ? RandomText.any(r, 12).replaceAll("\\p{Cs}", "?") : value(r));
            }
            params.add(p);
        }
        if (!params.isEmpty() || r.nextBoolean()) y.put("params", params);
        List<Object> steps = new ArrayList<>();
        List<String> keys = new ArrayList<>(kinds.keys());
        for (int i = r.nextInt(5); i > 0; i--) steps.add(anyStep(r, keys, 0));
        y.put("steps", r.nextInt(10) == 0 ? value(r) : steps);
        return y;
    }

    private Map<String, Object> anyStep(Random r, List<String> keys, int depth) {
        String key = RandomText.pick(r, keys);
        Map<String, Object> body = new LinkedHashMap<>();
        for (String field : kinds.find(key).orElseThrow().fields().accepted()) {
            if (r.nextInt(5) == 0) continue;
            if (field.equals("options") && depth < 2) {
                List<Object> options = new ArrayList<>();
                for (int i = r.nextInt(7); i > 0; i--) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("label", value(r));
                    if (r.nextBoolean()) o.put("danger", value(r));
                    if (r.nextBoolean()) o.put("steps", List.of(anyStep(r, keys, depth + 1)));
                    options.add(o);
                }
                body.put(field, options);
            } else {
                body.put(field, field.contains("timeout") || field.equals("wait") || field.equals("interval") ? duration(r) : value(r));
            }
        }
        if (r.nextInt(8) == 0) body.put(RandomText.name(r, 6), value(r));
        Map<String, Object> step = new LinkedHashMap<>();
        step.put(r.nextInt(20) == 0 ? RandomText.name(r, 8) : key, r.nextInt(10) == 0 ? value(r) : body);
        if (r.nextInt(5) == 0) step.put("title", value(r));
        if (r.nextInt(5) == 0) step.put("timeout", duration(r));
        if (r.nextInt(8) == 0) step.put("continue-on-failure", value(r));
        return step;
    }

    /** A YAML value of any type a person might write there. */
    private static Object value(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> RandomText.any(r, 30).replaceAll("\\p{Cs}", "?");
            case 1 -> r.nextInt();
            case 2 -> RandomText.pick(r, List.of(0, -1, 1, 65535, 65536, Integer.MAX_VALUE, Long.MAX_VALUE, 1.5, -0.0, 1e300));
            case 3 -> r.nextBoolean();
            case 4 -> null;
            case 5 -> List.of();
            case 6 -> List.of(RandomText.name(r, 8), RandomText.any(r, 8).replaceAll("\\p{Cs}", "?"));
            case 7 -> Map.of(RandomText.name(r, 5), RandomText.any(r, 8).replaceAll("\\p{Cs}", "?"));
            case 8 -> "${" + RandomText.name(r, 6) + "}";
            case 9 -> RandomText.pick(r, List.of("backend", "worker", "proxy", "sha-abc1234", "0.1.0", "true", "yes", "", " "));
            case 10 -> RandomText.pick(r, List.of("${tag}", "$${x}", "${", "}", "${}", "${a${b}}"));
            default -> duration(r);
        };
    }

    private static Object duration(Random r) {
        return RandomText.pick(r, List.of("90s", "1m30s", "500ms", "0s", "-5s", "1.5s", "5", "s", "1d", "99999999999999999999h",
                "9223372036854775807ns", "106751d", "2562047h", "153722867m", "9223372036s", "1h1h", "30 s", Duration.ofSeconds(3).toString()));
    }

    /** Text that YAML reads badly or at great cost: aliases, deep nesting, tags, characters it forbids. */
    private static String oddYaml(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> "name: x\nsteps:\n  - ps: {}\nsummary: " + "[".repeat(1 + r.nextInt(200)) + "\n";
            case 1 -> {
                StringBuilder bomb = new StringBuilder("a0: &a0 [x, x]\n");
                for (int i = 1; i < 10 + r.nextInt(30); i++) {
                    bomb.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a").append(i - 1).append("]\n");
                }
                yield bomb + "name: x\nsteps:\n  - ps: {}\n";
            }
            case 2 -> "name: x\nsteps:\n  - ps: {}\nsummary: \"" + RandomText.pick(r, List.of("\u0000", "\u0007", "\ud800", "\ufffe", "\u001b"))
                    + "\"\n";
            case 3 -> "name: x" + RandomText.pick(r, List.of("\u0000", "\u0085", "\u2028", "\ufeff", "\t")) + "\nsteps:\n  - ps: {}\n";
            case 4 -> "name: !!binary aGVsbG8=\nsteps:\n  - ps: !!set {a, b}\n";
            case 5 -> "name: x\nsteps: *nowhere\n";
            case 6 -> "--- \nname: x\nsteps:\n  - ps: {}\n---\nname: y\n";
            default -> "? [a, b]\n: c\nname: x\nsteps:\n  - " + "{a: ".repeat(1 + r.nextInt(100)) + "1" + "}".repeat(1 + r.nextInt(100)) + "\n";
        };
    }
}
