package dev.opsbot.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.replica.ReplicaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The replica: section of opsbot.yml and its environment variables, as docs/configuration.md shows them. */
class ReplicaConfigTest {
    @TempDir
    Path dir;

    private AppConfig load(String yaml, Map<String, String> env) throws Exception {
        return OpsbotYml.load(dir, yaml, env);
    }

    @Test
    void withoutTheSectionEachProcessGetsAnIdOfItsOwnAndA15SecondLease() throws Exception {
        ReplicaSettings one = load("{}", Map.of()).replica();
        ReplicaSettings two = load("{}", Map.of()).replica();
        assertNotEquals(one.id(), two.id(), "two processes, two ids");
        assertTrue(one.id().contains("-" + ProcessHandle.current().pid() + "-"), one.id());
        assertEquals(Duration.ofSeconds(15), one.leaseTtl());
        assertEquals(Duration.ofSeconds(5), one.renewEvery());
        assertEquals(Duration.ofSeconds(10), one.stepDownAfter());
    }

    @Test
    void theSectionNamesTheReplicaAndTheEnvironmentGoesFirst() throws Exception {
        ReplicaSettings fromFile = load("replica: {id: opsbot-1, lease-ttl: 30s}\n", Map.of()).replica();
        assertEquals(new ReplicaSettings("opsbot-1", Duration.ofSeconds(30)), fromFile);
        ReplicaSettings fromEnv = load("replica: {id: opsbot-1}\n", Map.of("OPSBOT_REPLICA_ID", "pod-7f9c", "OPSBOT_LEASE_TTL", "6s")).replica();
        assertEquals(new ReplicaSettings("pod-7f9c", Duration.ofSeconds(6)), fromEnv);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("a lease shorter than a second", "replica: {lease-ttl: 500ms}", "replica: a lease lasts at least 1 s, not PT0.5S"),
                Arguments.of("not a duration", "replica: {lease-ttl: soon}", "replica.lease-ttl: "),
                Arguments.of("an id with a space", "replica: {id: 'my bot'}", "replica: a replica id is up to 100 letters"),
                Arguments.of("a misspelt key", "replica: {ttl: 15s}", "replica: unknown setting 'ttl' (known: [id, lease-ttl])"),
                Arguments.of("not a section", "replica: opsbot-1", "replica: expected id and lease-ttl"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void aWrongSectionIsRefusedWithTheReason(String what, String yaml, String message) {
        AppConfig.ConfigException e = assertThrows(AppConfig.ConfigException.class, () -> load(yaml, Map.of()));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }
}
