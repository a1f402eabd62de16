package dev.opsbot.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class DiscordSettingsTest {

    @Test
    void defaultsPointAtDiscord() {
        DiscordSettings s = DiscordSettings.fromEnvironment(Map.of("DISCORD_TOKEN", "t"));
        assertTrue(s.enabled());
        assertEquals("https://discord.com/api/v10/", s.restBaseUrl());
        assertEquals("wss://gateway.discord.gg", s.gatewayUrl());
        assertEquals(List.of(), s.guildIds());
        assertTrue(s.registerGlobally(), "no server named: registered globally");
    }

    @Test
    void withoutATokenTheAdapterIsOff() {
        assertFalse(DiscordSettings.fromEnvironment(Map.of()).enabled());
        assertFalse(DiscordSettings.fromEnvironment(Map.of("DISCORD_TOKEN", "  ")).enabled());
    }

    @Test
    void guildIdsAreCommaSeparatedAndRegisterThere() {
        DiscordSettings s = DiscordSettings.fromEnvironment(Map.of("DISCORD_TOKEN", "t",
                "DISCORD_GUILD_IDS", " 123, 456 ,,"));
        assertEquals(List.of("123", "456"), s.guildIds());
        assertFalse(s.registerGlobally());
        assertTrue(DiscordSettings.fromEnvironment(Map.of("DISCORD_TOKEN", "t", "DISCORD_GUILD_IDS", "123",
                "DISCORD_GLOBAL_COMMANDS", "TRUE")).registerGlobally());
    }

    @ParameterizedTest
    @CsvSource({
            // a host: the API path is added
            "http://127.0.0.1:8080, http://127.0.0.1:8080/api/v10/",
            "https://proxy.example/, https://proxy.example/api/v10/",
            // a path of its own is kept
            "https://proxy.example/discord, https://proxy.example/discord/api/v10/",
            // an address that names a version is used as it is
            "https://proxy.example/api/v10, https://proxy.example/api/v10/"})
    void theRestAddressGetsTheApiPath(String given, String expected) {
        assertEquals(expected, DiscordSettings.fromEnvironment(Map.of("DISCORD_TOKEN", "t", "DISCORD_API_URL", given))
                .restBaseUrl());
    }

    @ParameterizedTest
    @ValueSource(strings = {"DISCORD_GUILD_IDS=abc", "DISCORD_API_URL=ftp://x", "DISCORD_API_URL=not an address",
            "DISCORD_GATEWAY_URL=https://gateway", "DISCORD_GLOBAL_COMMANDS=yes"})
    void mistakesAreRefusedWithTheVariablesName(String setting) {
        String[] kv = setting.split("=", 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DiscordSettings.fromEnvironment(Map.of("DISCORD_TOKEN", "t", kv[0], kv[1])));
        assertTrue(e.getMessage().startsWith(kv[0]), e.getMessage());
    }

    @Test
    void theTokenIsNeverPrinted() {
        String text = DiscordSettings.fromEnvironment(Map.of("DISCORD_TOKEN", "secret-token")).toString();
        assertFalse(text.contains("secret-token"), text);
    }
}
