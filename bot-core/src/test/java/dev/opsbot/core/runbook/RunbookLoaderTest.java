package dev.opsbot.core.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.testing.RepoRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
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
    })
    void malformedRunbooksAreReportedWithFileAndLine(String yaml, int line, String problem, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.yml");
        Files.writeString(file, yaml.replace("\\n", "\n"));
        RunbookException e = assertThrows(RunbookException.class, () -> loader.load(file));
        assertTrue(e.getMessage().startsWith("broken.yml:" + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
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
