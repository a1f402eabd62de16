package dev.opsbot.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.store.AuditLog;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.testing.RepoRoot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The launcher's command line: its exit codes and help, and the commands other than the console (lint, audit verify, run without a platform). */
class MainTest {

    record Result(int code, String out, String err) {
        String both() {
            return out + err;
        }
    }

    private static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Main(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env).run(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void lintPassesTheShippedRunbooksAndPointsAtTheLineOfABrokenOne(@TempDir Path dir) throws Exception {
        // The demo stack as an operator would have it: the compose file with its .env beside it.
        Path stack = Files.createDirectories(dir.resolve("stack"));
        Files.copy(RepoRoot.get().resolve("examples/demo/docker-compose.yml"), stack.resolve("docker-compose.yml"));
        Files.copy(RepoRoot.get().resolve("examples/demo/.env.example"), stack.resolve(".env"));
        Map<String, String> env = new HashMap<>(Map.of("OPSBOT_RUNBOOKS", RepoRoot.get().resolve("runbooks").toString(),
                "OPSBOT_COMPOSE_FILE", stack.resolve("docker-compose.yml").toString()));
        Result good = run(env, "lint", "--config", dir.resolve("none.yml").toString());
        assertEquals(0, good.code(), good.both());
        assertTrue(good.out().contains("runbook(s) valid: deploy, health, release, restart, rollback, rotate-secret, secret-leaked"), good.out());

        Path runbooks = Files.createDirectories(dir.resolve("runbooks"));
        Files.writeString(runbooks.resolve("ok.yml"), "name: ok\nsteps:\n  - ps: {}\n");
        Files.writeString(runbooks.resolve("bad.yml"), "name: bad\nsteps:\n  - ps: {}\n  - shell: {command: reboot}\n");
        env.put("OPSBOT_RUNBOOKS", runbooks.toString());
        Result bad = run(env, "lint", "--config", dir.resolve("none.yml").toString());
        assertEquals(1, bad.code(), bad.both());
        assertTrue(bad.out().contains("bad.yml:4: unknown step kind 'shell'"), bad.out());
        assertTrue(bad.out().contains("1 runbook(s) valid: ok"), bad.out());
    }

    @Test
    void auditVerifyFindsATamperedRow(@TempDir Path dir) {
        Map<String, String> env = Map.of("OPSBOT_DATA", dir.toString());
        try (Database db = Database.open(dir.resolve("opsbot"))) {
            AuditLog log = new AuditLog(db, Redactor.shapesOnly());
            for (int i = 0; i < 3; i++) log.append("slack:U1", "slack:C1", "command", "/ops ps", "received");
        }
        Result intact = run(env, "audit", "verify");
        assertEquals(0, intact.code(), intact.both());
        assertTrue(intact.out().contains("audit trail intact: 3 rows"), intact.out());

        try (Database db = Database.open(dir.resolve("opsbot"))) {
            db.withConnection(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("UPDATE audit SET detail = '/ops deploy sha-evil00' WHERE id = 2");
                }
            });
        }
        Result broken = run(env, "audit", "verify");
        assertEquals(1, broken.code(), broken.both());
        assertTrue(broken.out().contains("row 2 was altered"), broken.out());
    }

    @Test
    void runWithoutAnyPlatformRefusesAndPointsAtTheConsole() {
        Result r = run(Map.of(), "run");
        assertEquals(2, r.code());
        assertTrue(r.both().contains("./opsbot console"), r.both());
    }

    @Test
    void anUnknownCommandOrOptionIsAUsageError() {
        assertEquals(2, run(Map.of(), "deploy").code());
        assertEquals(2, run(Map.of(), "console", "--colour").code());
    }

    /** Where a row's text is expected: on standard output or standard error. */
    enum Where { OUT, ERR }

    /** One command line a person might type, its exit code, and text it must print where. {dir} is a folder made for the row. */
    static Stream<Arguments> commandLines() {
        return Stream.of(
                // Typed wrong: 2, the reason and the usage on stderr, nothing run.
                Arguments.of("unknown command", "deploy sha-1a2b3c4", 2, Where.ERR, List.of("unknown command 'deploy'", "Usage: opsbot")),
                Arguments.of("unknown option", "console --colour", 2, Where.ERR, List.of("Unknown option: '--colour'", "Usage: opsbot console")),
                Arguments.of("option without its value", "console --as", 2, Where.ERR, List.of("'--as' (USER)", "Usage: opsbot console")),
                Arguments.of("audit without what to do", "audit", 2, Where.ERR, List.of("Usage: opsbot audit", "verify")),
                Arguments.of("an option of another command", "lint --as bob", 2, Where.ERR, List.of("Unknown option", "'--as'")),
                // Asked for help: 0, on stdout.
                Arguments.of("no command", "", 0, Where.OUT, List.of("Usage: opsbot", "console", "run", "lint", "audit")),
                Arguments.of("--help lists the commands", "--help", 0, Where.OUT,
                        List.of("Usage: opsbot", "console", "run", "lint", "audit", "--config FILE", "--version")),
                Arguments.of("help of a command", "console --help", 0, Where.OUT, List.of("Usage: opsbot console", "--as USER", "--config FILE")),
                Arguments.of("the help command", "help audit", 0, Where.OUT, List.of("Usage: opsbot audit", "verify")),
                Arguments.of("--version", "--version", 0, Where.OUT, List.of("opsbot ", "(commit ")),
                // Ran and found problems: 1.
                Arguments.of("lint of a broken runbook", "lint --config {dir}/none.yml", 1, Where.OUT,
                        List.of("bad.yml:4: unknown step kind 'shell'", "1 runbook(s) valid: ok; 1 problem(s)")),
                // Settings refused: 2, with what was wrong.
                Arguments.of("configuration refused", "lint --config {dir}/refused.yml", 2, Where.ERR,
                        List.of("opsbot: configuration: ", "unknown setting 'colour'")),
                Arguments.of("--config before the command", "--config {dir}/refused.yml audit verify", 2, Where.ERR,
                        List.of("unknown setting 'colour'")));
    }

    @ParameterizedTest(name = "{0}: opsbot {1} -> {2}")
    @MethodSource("commandLines")
    void eachCommandLineEndsWithItsExitCode(String why, String line, int code, Where where, List<String> expected, @TempDir Path dir)
            throws Exception {
        Path runbooks = Files.createDirectories(dir.resolve("runbooks"));
        Files.writeString(runbooks.resolve("ok.yml"), "name: ok\nsteps:\n  - ps: {}\n");
        Files.writeString(runbooks.resolve("bad.yml"), "name: bad\nsteps:\n  - ps: {}\n  - shell: {command: reboot}\n");
        Files.writeString(dir.resolve("refused.yml"), "colour: blue\n");
        Map<String, String> env = Map.of("OPSBOT_RUNBOOKS", runbooks.toString(), "OPSBOT_DATA", dir.resolve("data").toString());
        String[] args = line.isEmpty() ? new String[0] : line.replace("{dir}", dir.toString()).split(" ");

        Result r = run(env, args);
        assertEquals(code, r.code(), r.both());
        String text = where == Where.OUT ? r.out() : r.err();
        for (String e : expected) assertTrue(text.contains(e), "expected '" + e + "' on " + where + ":\n" + r.both());
        if (code == 2) assertFalse(r.err().isEmpty(), "a usage error says why on stderr");
    }

    @Test
    void versionNamesTheCommitTheBuildWasMadeFrom() throws Exception {
        Process git = new ProcessBuilder("git", "rev-parse", "--short=7", "HEAD").directory(RepoRoot.get().toFile())
                .redirectErrorStream(true).start();
        String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        // A build from a source archive (no git checkout) has no commit to name.
        String commit = git.waitFor() == 0 ? head : "unknown";

        Result r = run(Map.of(), "--version");
        assertEquals(0, r.code(), r.both());
        assertTrue(r.out().matches("opsbot \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit " + commit + "\\)\\R"), r.out());
    }
}
