package dev.opsbot.core.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagePinnerTest {
    private static final String FILE = """
            # production stack — edited by hand, too
            services:
              backend:
                image: ghcr.io/acme/app-backend:sha-1111111   # pinned
                environment:
                  IMAGE_NOTE: "image: not-this:one"
              worker:
                image: "ghcr.io/acme/app-worker:sha-1111111"
              web:
                image: 'ghcr.io/acme/app-web:latest'
              db:
                image: postgres:16
            volumes:
              data: {}   # trailing comment
            """;

    private final ImagePinner pinner = new ImagePinner();

    @Test
    void changesOnlyTheImageValuesAndKeepsEverythingElseByteForByte() {
        Map<String, String> tags = new java.util.LinkedHashMap<>();
        tags.put("backend", "sha-2222222");
        tags.put("worker", "sha-2222222");
        ImagePinner.Result r = pinner.pin(FILE, tags);
        String expected = FILE.replace("app-backend:sha-1111111", "app-backend:sha-2222222")
                .replace("app-worker:sha-1111111", "app-worker:sha-2222222");
        assertEquals(expected, r.text());
        assertEquals(List.of(
                new ImagePinner.Change("backend", "ghcr.io/acme/app-backend:sha-1111111", "ghcr.io/acme/app-backend:sha-2222222"),
                new ImagePinner.Change("worker", "ghcr.io/acme/app-worker:sha-1111111", "ghcr.io/acme/app-worker:sha-2222222")),
                r.changes());
    }

    @Test
    void keepsQuoteStyleAndRegistryPorts() {
        String text = "services:\n  web:\n    image: '127.0.0.1:5000/demo/web:1.0'\n";
        assertEquals("services:\n  web:\n    image: '127.0.0.1:5000/demo/web:0.1.0'\n",
                pinner.pin(text, Map.of("web", "0.1.0")).text());
    }

    @Test
    void pinningTheSameTagChangesNothing() {
        ImagePinner.Result r = pinner.pin(FILE, Map.of("db", "16"));
        assertFalse(r.changed());
        assertEquals(FILE, r.text());
    }

    @Test
    void anUnknownServiceIsRefused() {
        ComposeException e = assertThrows(ComposeException.class, () -> pinner.pin(FILE, Map.of("api", "sha-2222222")));
        assertTrue(e.getMessage().contains("api"));
    }

    @Test
    void writesTheFileAtomicallyKeepingItsPermissions(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("docker-compose.yml");
        Files.writeString(file, FILE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        pinner.pinFile(file, Map.of("backend", "sha-3333333"));
        assertTrue(Files.readString(file).contains("app-backend:sha-3333333   # pinned"));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var list = Files.list(dir)) {
            assertEquals(List.of(file), list.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void nonAsciiCommentsBeforeTheImageDoNotShiftTheEdit() {
        String text = "# déploiement — ünïcode ✓\nservices:\n  api:\n    image: x/api:sha-1111111 # ✓\n";
        assertEquals(text.replace("sha-1111111", "sha-2222222"), pinner.pin(text, Map.of("api", "sha-2222222")).text());
    }
}
