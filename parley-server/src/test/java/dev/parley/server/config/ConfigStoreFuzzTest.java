package dev.parley.server.config;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.server.auth.InvalidDescriptionException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz target: any {@code config.json} either parses to a {@link ServerConfig} or is rejected with
 * {@link InvalidDescriptionException} or, for text that is not JSON, Jackson's
 * {@link IOException} (L6); a parsed config answers origin checks. Seeds:
 * {@code ConfigStoreFuzzTestInputs/}. Long runs: {@code ./parley fuzz}.
 */
class ConfigStoreFuzzTest {

    @FuzzTest
    @DictionaryEntries({"\"users\"", "\"canonicalHost\"", "\"proxyURL\"", "\"allowOrigin\"",
            "\"allowAdminOrigin\"", "\"writableGroups\"", "\"admin\"", "\"password\"", "\"permissions\"",
            "\"type\"", "\"pbkdf2\"", "\"bcrypt\"", "\"wildcard\"", "\"admin\"", "null", "true"})
    void parse(byte[] file) {
        ServerConfig config;
        try {
            config = ConfigStore.parse(new String(file, StandardCharsets.UTF_8));
        } catch (InvalidDescriptionException | IOException expected) {
            return;
        }
        config.originAllowed("https://localhost:8443");
    }
}
