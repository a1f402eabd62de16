package dev.opsbot.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.opsbot.core.store.Database;
import dev.opsbot.core.store.DeployStore;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The release every rollback button offers, read from a real deploy history: one row a case,
 * each history written oldest first as "run before->after outcome[+verified]".
 */
class KnownGoodTest {
    private static final String A = "sha-1a2b3c4";
    private static final String B = "sha-5d6e7f8";
    private static final String BAD = "sha-badc0de";

    static Stream<Arguments> histories() {
        return Stream.of(
                // nothing deployed yet: nothing to offer
                Arguments.of("", null),
                // the release running now is verified: going back means the one before it
                Arguments.of("1 " + A + "->" + B + " succeeded+", A),
                // a run is bringing the broken tag up right now: the good one it replaces
                Arguments.of("1 " + A + "->" + B + " succeeded+; 3 " + B + "->" + BAD + " running", B),
                // the broken tag failed: the same answer once the run has ended
                Arguments.of("1 " + A + "->" + B + " succeeded+; 3 " + B + "->" + BAD + " failed", B),
                // interrupted by a restart after pinning it
                Arguments.of("1 " + A + "->" + B + " succeeded+; 3 " + B + "->" + BAD + " interrupted", B),
                // succeeded but never verified: not known to be good
                Arguments.of("1 " + A + "->" + B + " succeeded+; 2 " + B + "->" + BAD + " succeeded", B),
                // rolled back after the failure: the verified release before the one running, never the one that failed
                Arguments.of("1 " + A + "->" + B + " succeeded+; 3 " + B + "->" + BAD + " failed; 4 " + BAD + "->" + B + " succeeded+", A),
                // the very first deploy failed: what ran before it
                Arguments.of("1 " + A + "->" + BAD + " failed", A),
                // two failures in a row: still what ran before them, not the first failure
                Arguments.of("1 " + A + "->" + BAD + " failed; 2 " + BAD + "->sha-0badbad failed", A),
                // runbooks without a health check verify nothing: an interrupted deploy still goes back to what ran before it
                Arguments.of("1 " + A + "->" + B + " succeeded; 2 " + B + "->" + A + " succeeded; 3 " + A + "->" + B + " interrupted", A),
                // and an unverified release that failed once but came up later is not skipped
                Arguments.of("1 " + A + "->" + BAD + " failed; 2 " + A + "->" + BAD + " succeeded; 3 " + BAD + "->" + B + " running", BAD));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("histories")
    void theReleaseToGoBackToComesFromTheWholeHistory(String history, String expected, @TempDir Path dir) {
        try (Database db = Database.open(dir.resolve("opsbot"))) {
            DeployStore deploys = new DeployStore(db);
            for (String entry : history.split(";")) {
                if (entry.isBlank()) continue;
                String[] p = entry.strip().split(" ");
                String[] tags = p[1].split("->");
                String outcome = p[2].replace("+", "");
                deploys.record(Long.parseLong(p[0]), "demo", "backend", tags[0], tags[1], "test:alice", null, outcome, p[2].endsWith("+"));
            }
            assertEquals(Optional.ofNullable(expected), new KnownGood(deploys, "demo").of("backend"));
        }
    }
}
