package dev.opsbot.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.opsbot.core.retention.Retention;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The retention: section of opsbot.yml and its environment variables, as docs/configuration.md shows them. */
class RetentionConfigTest {
    @TempDir
    Path dir;

    private AppConfig load(String yaml, Map<String, String> env) throws Exception {
        return OpsbotYml.load(dir, yaml, env);
    }

    @Test
    void withoutTheSectionRunsAreKeptThreeMonthsAndLogsOne() throws Exception {
        Retention r = load("{}", Map.of()).retention();
        assertEquals(new Retention(Duration.ofDays(90), Duration.ofDays(30)), r);
        assertEquals(Duration.ofHours(1), r.every(), "looked at hourly");
    }

    @Test
    void theSectionSetsThePeriodsAndTheEnvironmentGoesFirst() throws Exception {
        assertEquals(new Retention(Duration.ofDays(365), null), load("retention: {runs: 365d, logs: forever}", Map.of()).retention());
        Retention r = load("retention: {runs: 365d, logs: 14d}", Map.of("OPSBOT_RETENTION_RUNS", "12h", "OPSBOT_RETENTION_LOGS", "30m")).retention();
        assertEquals(new Retention(Duration.ofHours(12), Duration.ofMinutes(30)), r);
        assertEquals(Duration.ofSeconds(150), r.every(), "every twelfth of the shorter period, under half a day");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "'retention: 90d'                     | retention: expected runs and logs, e.g. {runs: 90d, logs: 30d}",
            "'retention: {run: 90d}'              | retention: unknown setting 'run' (known: [logs, runs])",
            "'retention: {runs: soon}'            | retention.runs: 'soon' is not a period like 90d, 12h or forever",
            "'retention: {logs: 30s}'             | retention: a retention period is at least a minute, not PT30S",
    })
    void mistakesAreRefusedNamingTheSetting(String yaml, String message) {
        AppConfig.ConfigException e = assertThrows(AppConfig.ConfigException.class, () -> load(yaml, Map.of()));
        assertEquals(message, e.getMessage());
    }
}
