package dev.opsbot.core.runbook;

import dev.opsbot.core.secrets.SecretSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stack's files (its compose file and .env) as a run found them when it started, and as it
 * wrote them since. A person may edit them on the host while a run goes on; a step that writes
 * them (pin, rotate-secret) or applies them to the engine (up, a one-off) first checks that
 * nobody did, and refuses when someone did: it would otherwise overwrite that edit, or apply a
 * change nobody confirmed. Compared by content (SHA-256), so a save that changed nothing is no edit.
 */
public final class StackFiles {
    /** For contexts that change nothing (previews): nothing is watched. */
    public static final StackFiles UNWATCHED = new StackFiles(List.of(), "");

    private static final String ABSENT = "absent";
    private final Map<Path, String> seen = new LinkedHashMap<>();
    private final String since;

    /** @param since when the files were read, as the refusal says it ("run #3 started") */
    private StackFiles(List<Path> files, String since) {
        this.since = since;
        for (Path f : files) seen.putIfAbsent(f.toAbsolutePath().normalize(), digest(f));
    }

    /** Reads the compose file, the .env beside it and the one secrets are written to, now. */
    public static StackFiles of(Path composeFile, SecretSettings secrets, String since) {
        return new StackFiles(List.of(composeFile, composeFile.toAbsolutePath().resolveSibling(".env"), secrets.envFile(composeFile)), since);
    }

    /** Throws when a watched file is not as the run found it or last wrote it, naming the file. */
    public synchronized void refuseOutsideEdits() throws StepFailedException {
        for (Map.Entry<Path, String> f : seen.entrySet()) {
            if (!digest(f.getKey()).equals(f.getValue())) {
                throw new StepFailedException(f.getKey().getFileName() + " was changed on the host since " + since + ", and not by this run:"
                        + " this step did not run, so that change is neither overwritten nor applied unconfirmed."
                        + " Look at the change (" + f.getKey() + "), then run the command again.");
            }
        }
    }

    /** The run itself wrote {@code file}: its new content is the one expected from now on. */
    public synchronized void wrote(Path file) {
        Path key = file.toAbsolutePath().normalize();
        if (seen.containsKey(key)) seen.put(key, digest(key));
    }

    private static String digest(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            return ABSENT;
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
