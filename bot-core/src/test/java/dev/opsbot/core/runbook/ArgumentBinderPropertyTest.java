package dev.opsbot.core.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.command.Invocation;
import dev.opsbot.core.command.UsageException;
import dev.opsbot.core.testing.ClearMessage;
import dev.opsbot.core.testing.RandomText;
import dev.opsbot.core.testing.RepoRoot;
import dev.opsbot.core.testing.Tries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever arguments and options are typed, binding them to a runbook's parameters gives values
 * that fit the schema, or a refusal with the runbook's usage that names what was wrong. Checked
 * on every shipped runbook (compose and swarm) and on one with a parameter of every kind.
 */
@Tag("property")
class ArgumentBinderPropertyTest {
    static final int TRIES = 10_000;
    private static final List<String> SERVICES = List.of("proxy", "backend", "worker", "web");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)");
    private static final List<String> VALUES = List.of("sha-5d6e7f8", "sha-1a2b3c4", "0.1.0", "1.2.3-rc.1", "sha-ABC1234", "sha-abc12",
            "v0.1.0", "backend", "Backend", "worker", "database", "fast", "safe", "FAST", "3", "0", "-1", "5", "6", "+4", "007",
            "\u0663", "\uff14", "2147483648", "1e3", " 4", "API_TOKEN", "api_token", "A", "v1.0.0", "v01.0.0", "");
    private final ArgumentBinder binder = new ArgumentBinder();

    @Test
    void typedArgumentsFitTheSchemaOrAreRefusedWithTheUsage(@TempDir Path dir) throws IOException {
        List<Runbook> runbooks = runbooks(dir);
        Tries.check(TRIES, r -> {
            Runbook runbook = RandomText.pick(r, runbooks);
            return new Typed(runbook, invocation(r, runbook));
        }, typed -> {
            Runbook runbook = typed.runbook();
            Map<String, String> values;
            try {
                values = binder.bind(runbook, typed.invocation(), () -> SERVICES);
            } catch (UsageException e) {
                ClearMessage.check("the refusal", e.getMessage());
                assertEquals(runbook.usageLine(), e.usage(), "the refusal carries the runbook's usage");
                assertTrue(namesWhatWasWrong(runbook, e.getMessage()), "the refusal names a parameter, option or argument: " + e.getMessage());
                return;
            }
            assertTrue(runbook.accepts(values), "only declared parameters, every required one: " + values);
            for (Parameter p : runbook.params()) {
                String v = values.get(p.name());
                if (v != null) assertTrue(fits(p, v), p.name() + " = " + Tries.show(v) + " does not fit " + p.kind());
            }
        });
    }

    /** The shipped runbooks, and one with a parameter of every kind. */
    private static List<Runbook> runbooks(Path dir) throws IOException {
        Files.writeString(dir.resolve("every-kind.yml"), """
                name: every-kind
                summary: a parameter of every kind
                mutates: true
                params:
                  - {name: tag, kind: tag}
                  - {name: service, kind: service, required: false}
                  - {name: mode, kind: enum, values: [fast, safe], flag: true, default: safe}
                  - {name: count, kind: int, min: 1, max: 5, flag: true, required: false}
                  - {name: name, kind: pattern, pattern: '[A-Z][A-Z0-9_]{0,63}', flag: true, required: false}
                  - {name: only, kind: service, of: [backend, worker], flag: true, required: false}
                steps:
                  - ps: {}
                """);
        RunbookLoader loader = new RunbookLoader();
        List<Runbook> out = new ArrayList<>();
        for (Path folder : List.of(RepoRoot.get().resolve("runbooks"), RepoRoot.get().resolve("runbooks/swarm"), dir)) {
            try (Stream<Path> files = Files.list(folder)) {
                files.filter(f -> f.toString().endsWith(".yml")).sorted().forEach(f -> out.add(loader.load(f)));
            }
        }
        return out;
    }

    /** Mostly what the runbook asks for, each value sometimes replaced by a near miss or by anything at all. */
    private static Invocation invocation(Random r, Runbook runbook) {
        List<String> args = new ArrayList<>();
        Map<String, String> flags = new LinkedHashMap<>();
        for (Parameter p : runbook.params()) {
            if (r.nextInt(6) == 0) continue;
            String v = r.nextInt(4) == 0 ? value(r) : valid(r, p);
            if (p.flag()) flags.put(p.name(), v); else args.add(v);
        }
        if (r.nextInt(8) == 0) args.add(value(r));
        if (r.nextInt(8) == 0) flags.put(RandomText.pick(r, List.of("force", "modes", "tail", "x", "Tag")), value(r));
        return new Invocation(runbook.name(), args, flags);
    }

    private static String valid(Random r, Parameter p) {
        return switch (p.kind()) {
            case TAG -> r.nextBoolean() ? "sha-" + hex(r, 7 + r.nextInt(34)) : r.nextInt(20) + "." + r.nextInt(20) + "." + r.nextInt(20);
            case SERVICE -> RandomText.pick(r, p.values().isEmpty() ? SERVICES : p.values());
            case ENUM -> RandomText.pick(r, p.values());
            case INT -> Long.toString(Math.max(p.min(), -50L) + r.nextInt(100));
            case PATTERN -> RandomText.pick(r, List.of("API_TOKEN", "DB_PASSWORD", "A", "v1.0.0", "v0.2.0-rc.1", "v1.0", "token"));
        };
    }

    private static String hex(Random r, int digits) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < digits; i++) out.append(Character.forDigit(r.nextInt(16), 16));
        return out.toString();
    }

    private static String value(Random r) {
        return switch (r.nextInt(5)) {
            case 0, 1, 2 -> RandomText.pick(r, VALUES);
            case 3 -> RandomText.mutate(r, RandomText.pick(r, VALUES));
            default -> RandomText.any(r, 260);
        };
    }

    /** The schema, written out again: what a bound value of each kind may be. */
    private static boolean fits(Parameter p, String v) {
        if (v.length() > 200 || v.chars().anyMatch(Character::isISOControl)) return false;
        return switch (p.kind()) {
            case TAG -> Parameter.TAG.matcher(v).matches();
            case SERVICE -> (p.values().isEmpty() ? SERVICES : p.values()).contains(v);
            case ENUM -> p.values().contains(v);
            case PATTERN -> p.pattern().matcher(v).matches();
            case INT -> WHOLE_NUMBER.matcher(v).matches() && Long.parseLong(v) >= p.min() && Long.parseLong(v) <= p.max();
        };
    }

    private static boolean namesWhatWasWrong(Runbook runbook, String message) {
        if (message.startsWith("Too many arguments: ") || message.startsWith("Unknown option --")) return true;
        return runbook.params().stream().anyMatch(p -> message.contains(p.flag() ? "--" + p.name() : "<" + p.name() + ">"))
                || message.contains("is not an image tag") || message.contains("There is no service '");
    }

    private record Typed(Runbook runbook, Invocation invocation) {
        @Override
        public String toString() {
            return runbook.name() + " " + invocation.args() + " " + invocation.flags();
        }
    }
}
