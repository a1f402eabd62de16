package dev.opsbot.core.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.testing.RepoRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RunbookLoaderTest {
    private final RunbookLoader loader = new RunbookLoader();

    @Test
    void theShippedRunbooksAllLoad() {
        RunbookCatalog catalog = new RunbookCatalog(RepoRoot.get().resolve("runbooks"));
        catalog.refresh();
        assertEquals(java.util.List.of(), catalog.problems());
        assertTrue(catalog.all().keySet().containsAll(Set.of("deploy", "rollback", "health")));
        Runbook deploy = catalog.find("deploy").orElseThrow();
        assertTrue(deploy.mutates());
        assertTrue(deploy.offerRollbackOnFailure());
        assertEquals("/ops deploy <tag>", deploy.usageLine());
        assertFalse(catalog.find("health").orElseThrow().mutates());

        RunbookCatalog swarm = new RunbookCatalog(RepoRoot.get().resolve("runbooks/swarm"));
        swarm.refresh();
        assertEquals(java.util.List.of(), swarm.problems());
        assertEquals(Set.of("deploy", "rollback", "undo"), swarm.all().keySet());
        assertTrue(swarm.find("deploy").orElseThrow().offerRollbackOnFailure());
    }


    @ParameterizedTest(name = "[{index}] line {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            // a free-form command step does not exist
            "'name: x\nsteps:\n  - shell: {command: \"rm -rf /\"}\n' | 3 | free-form commands are not supported",
            "'name: x\nsteps:\n  - pin: {services: [a]}\n'              | 3 | 'tag' is required",
            "'name: x\nsteps:\n  - run: {service: a, command: [x, \"${nope}\"]}\n' | 3 | ${nope} is not a declared parameter",
            "'name: x\nstep-timeout: soon\nsteps:\n  - ps: {}\n'          | 2 | is not a duration",
            "'name: Bad Name\nsteps:\n  - ps: {}\n'                     | 1 | must be lower case",
            "'name: x\nsteps:\n  - ps: {}\nmutate: true\n'              | 4 | unknown key 'mutate'",
            "'name: x\nsteps: [\n'                                      | 3 | not valid YAML",
            "'summary: no name\nsteps:\n  - ps: {}\n'                   | 1 | 'name' is required",
            "'name: x\nparams:\n  - {name: t, kind: colour}\nsteps:\n  - ps: {}\n' | 3 | unknown parameter kind",
            "'name: x\nsteps:\n  - http-check: {port: 80}\n'            | 3 | either url, or service",
            "'name: x\nsteps:\n  - swarm-update: {failure-action: retry}\n' | 3 | failure-action is rollback or pause, not 'retry'",
            // a default is checked as if typed
            "'name: x\nparams:\n  - {name: t, kind: tag, default: latest}\nsteps:\n  - ps: {}\n' | 3 | the default does not fit: 'latest' is not an image tag",
            "'name: x\nparams:\n  - {name: n, kind: int, min: 5, max: 1}\nsteps:\n  - ps: {}\n' | 3 | min 5 is above max 1",
            "'name: x\nparams:\n  - {name: e, kind: enum, values: []}\nsteps:\n  - ps: {}\n' | 3 | an enum needs at least one value",
            // a step cannot use a value that may not be there
            "'name: x\nparams:\n  - {name: n, kind: int, required: false}\nsteps:\n  - run: {service: a, command: [echo, \"${n}\"]}\n' | 5 | ${n} may be left out (not required, no default)",
    })
    void malformedRunbooksAreReportedWithFileAndLine(String yaml, int line, String problem, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.yml");
        Files.writeString(file, yaml.replace("\\n", "\n"));
        RunbookException e = assertThrows(RunbookException.class, () -> loader.load(file));
        assertTrue(e.getMessage().startsWith("broken.yml:" + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void whatYamlItselfRefusesIsReportedAsThatFilesProblemAndTheOthersKeepServing(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("good.yml"), "name: good\nsteps:\n  - ps: {}\n");
        Files.writeString(dir.resolve("nul.yml"), "name: nul\nsummary: a\u0000b\nsteps:\n  - ps: {}\n");
        Files.write(dir.resolve("latin1.yml"), "name: latin\nsummary: caf\u00e9\nsteps:\n  - ps: {}\n".getBytes(StandardCharsets.ISO_8859_1));
        // Each list twice the one before: a few lines that would read as billions of entries.
        StringBuilder aliases = new StringBuilder("a0: &a0 [x, x]\n");
        for (int i = 1; i <= 30; i++) aliases.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a")
                .append(i - 1).append("]\n");
        Files.writeString(dir.resolve("aliases.yml"), aliases + "name: aliases\nsteps:\n  - ps: {}\n");
        Files.writeString(dir.resolve("deep.yml"), "name: deep\nsummary: " + "[".repeat(100) + "\nsteps:\n  - ps: {}\n");
        RunbookCatalog catalog = new RunbookCatalog(dir);
        assertTrue(catalog.refresh());
        assertEquals(Set.of("good"), catalog.all().keySet());
        assertEquals(List.of("aliases.yml:1: not valid YAML: Number of aliases for non-scalar nodes exceeds the specified max=50",
                        "deep.yml:1: not valid YAML: Nesting Depth exceeded max 50",
                        "latin1.yml:1: is not UTF-8 text",
                        "nul.yml:2: holds a character YAML does not allow (U+0000)"),
                catalog.problems().stream().map(RunbookException::getMessage).toList());
    }

    @Test
    void aBrokenFileDoesNotStopTheOthersAndEditsReloadWithoutRestart(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("good.yml"), "name: good\nsummary: fine\nsteps:\n  - ps: {}\n");
        Path bad = dir.resolve("bad.yml");
        Files.writeString(bad, "name: bad\nsteps:\n  - teleport: {}\n");
        RunbookCatalog catalog = new RunbookCatalog(dir);
        assertTrue(catalog.refresh());
        assertEquals(Set.of("good"), catalog.all().keySet());
        assertEquals(1, catalog.problems().size());
        assertTrue(catalog.problems().get(0).getMessage().startsWith("bad.yml:3:"));
        assertFalse(catalog.refresh(), "nothing changed, nothing re-read");

        Files.writeString(bad, "name: bad\nsummary: fixed\nsteps:\n  - ps: {}\n");
        Files.setLastModifiedTime(bad, FileTime.from(Instant.now().plusSeconds(5)));
        assertTrue(catalog.refresh());
        assertEquals(Set.of("bad", "good"), catalog.all().keySet());
        assertEquals("fixed", catalog.find("bad").orElseThrow().summary());
        assertTrue(catalog.problems().isEmpty());
    }
}
