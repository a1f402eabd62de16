package dev.opsbot.core.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.runbook.steps.PinStep;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Step kinds are found without a list in the code, and a kind that describes itself badly stops the start, by name. */
class StepKindsTest {
    private static final String DESCRIBED = Described.class.getName();

    /** A kind as its author wrote it; its build fails the test unless a row gives one. */
    record Described(String key, Supplier<StepFields> description, Function<StepBody, Step> builder) implements StepKind {
        Described(String key, Supplier<StepFields> description) {
            this(key, description, body -> {
                throw new AssertionError("a broken kind must not be asked to build");
            });
        }

        @Override
        public StepFields fields() {
            return description.get();
        }

        @Override
        public Step build(StepBody body) {
            return builder.apply(body);
        }
    }

    /** Listed in a META-INF/services file by {@link #aBrokenKindOnTheClassPathStopsTheLoaderBeingMade}. */
    public static final class Keyless implements StepKind {
        @Override
        public String key() {
            return "";
        }

        @Override
        public StepFields fields() {
            return StepFields.none();
        }

        @Override
        public Step build(StepBody body) {
            throw new AssertionError("never built");
        }
    }

    @Test
    void everyCoreKindIsFoundThroughItsRegistration() {
        Set<String> keys = StepKinds.discovered().keys();
        assertTrue(keys.containsAll(Set.of("pin", "pull", "run", "up", "restart", "prune", "http-check", "exec", "logs", "ps",
                "wait-healthy", "choice", "swarm-update", "swarm-rollback", "swarm-job", "release-tag", "rotate-secret")), keys.toString());
    }

    static Stream<Arguments> brokenDescriptions() {
        return Stream.of(
                Arguments.of("no key", List.of(new Described(null, StepFields::none)),
                        List.of(DESCRIBED, "it has no key")),
                Arguments.of("an empty key", List.of(new Described("", StepFields::none)),
                        List.of(DESCRIBED, "(key '')", "it has no key")),
                Arguments.of("a key YAML cannot name plainly", List.of(new Described("Echo Twice", StepFields::none)),
                        List.of(DESCRIBED, "(key 'Echo Twice')", "lower case letters, digits and dashes")),
                Arguments.of("a key every step already has", List.of(new Described("timeout", StepFields::none)),
                        List.of(DESCRIBED, "(key 'timeout')", "an option every step has")),
                Arguments.of("no field description", List.of(new Described("mute", () -> null)),
                        List.of(DESCRIBED, "(key 'mute')", "does not describe its fields")),
                Arguments.of("a field declared twice", List.of(new Described("twice", () -> StepFields.required("text").withOptional("text"))),
                        List.of(DESCRIBED, "(key 'twice')", "field 'text' is declared twice")),
                Arguments.of("a field YAML cannot name plainly", List.of(new Described("spaced", () -> StepFields.optional("the text"))),
                        List.of(DESCRIBED, "(key 'spaced')", "field 'the text'")),
                Arguments.of("the key of a core kind", List.of(new PinStep.Kind(), new Described("pin", StepFields::none)),
                        List.of(PinStep.Kind.class.getName(), DESCRIBED, "both use the key 'pin'")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("brokenDescriptions")
    void aBrokenDescriptionIsRefusedWhenTheCatalogIsMadeNamingTheKind(String broken, List<StepKind> kinds, List<String> said) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new StepKinds(kinds));
        for (String part : said) assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void aBrokenKindOnTheClassPathStopsTheLoaderBeingMade(@TempDir Path dir) throws Exception {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(StepKind.class.getName()), Keyless.class.getName() + "\n");
        try (URLClassLoader withKeyless = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> StepKinds.discovered(withKeyless));
            assertTrue(e.getMessage().contains(Keyless.class.getName()) && e.getMessage().contains("it has no key"), e.getMessage());
        }

        Files.writeString(services.resolve(StepKind.class.getName()), "dev.example.TeleportStep$Kind\n");
        try (URLClassLoader withMissing = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> StepKinds.discovered(withMissing));
            assertTrue(e.getMessage().contains("dev.example.TeleportStep$Kind"), e.getMessage());
        }
    }

    @Test
    void aKindReadingAFieldItDoesNotDeclareIsReportedAsTheRunbooksProblemNamingTheKind(@TempDir Path dir) throws Exception {
        StepKinds kinds = new StepKinds(List.of(new Described("sloppy", StepFields::none, body -> {
            body.string("text");
            throw new AssertionError("an undeclared field was read");
        })));
        Path file = dir.resolve("sloppy.yml");
        Files.writeString(file, "name: sloppy\nsteps:\n  - ps: {}\n  - sloppy: {}\n");
        RunbookException unknownPs = assertThrows(RunbookException.class, () -> new RunbookLoader(kinds).load(file));
        assertTrue(unknownPs.getMessage().contains("unknown step kind 'ps'; known: sloppy"), unknownPs.getMessage());

        Files.writeString(file, "name: sloppy\nsteps:\n  - sloppy: {}\n");
        RunbookException e = assertThrows(RunbookException.class, () -> new RunbookLoader(kinds).load(file));
        assertEquals("sloppy.yml:3: step kind 'sloppy' (" + DESCRIBED + ") could not read this step: "
                + "java.lang.IllegalStateException: step kind 'sloppy' (" + DESCRIBED + ") reads the field 'text' it does not declare",
                e.getMessage());
    }
}
