package dev.opsbot.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import net.dv8tion.jda.api.Permission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class InviteTest {

    @Test
    void theInviteAsksForExactlyTheDocumentedPermissions() throws Exception {
        long permissions = Permission.getRaw(DiscordAdapter.PERMISSIONS);
        assertEquals(309_237_763_072L, permissions);
        assertEquals("https://discord.com/oauth2/authorize?client_id=42&scope=bot+applications.commands"
                + "&permissions=309237763072", DiscordAdapter.inviteUrl("42"));

        Path root = Path.of(System.getenv().getOrDefault("OPSBOT_REPO_ROOT", ".."));
        String doc = Files.readString(root.resolve("docs/discord.md"));
        assertTrue(doc.contains("permissions=" + permissions), "docs/discord.md shows the invite address");
        for (Permission p : DiscordAdapter.PERMISSIONS) {
            assertTrue(doc.matches("(?s).*\\|\\s+" + p.getOffset() + " \\|.*"),
                    "docs/discord.md explains bit " + p.getOffset() + " (" + p.getName() + ")");
        }
    }
}
