package dev.parley.server.group;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.server.auth.InvalidDescriptionException;

import java.nio.charset.StandardCharsets;

/**
 * Fuzz target: any group file either parses or is rejected with
 * {@link InvalidDescriptionException} (G3, DF1, DF2), so one bad file never takes the server
 * down. Seeds: {@code GroupDescriptionParserFuzzTestInputs/}. Long runs: {@code ./parley fuzz}.
 */
class GroupDescriptionParserFuzzTest {

    @FuzzTest
    @DictionaryEntries({"\"users\"", "\"wildcard-user\"", "\"password\"", "\"permissions\"", "\"type\"",
            "\"pbkdf2\"", "\"bcrypt\"", "\"wildcard\"", "\"plain\"", "\"key\"", "\"salt\"", "\"iterations\"",
            "\"hash\"", "\"op\"", "\"present\"", "\"message\"", "\"authKeys\"", "\"codecs\"", "\"expires\"",
            "\"not-before\"", "\"max-clients\"", "\"presenter\"", "\"other\"", "\"username\"",
            "\"2026-12-02T12:00:00Z\"", "null", "true", "2147483648"})
    void parse(byte[] file) {
        try {
            GroupDescriptionParser.parse(new String(file, StandardCharsets.UTF_8));
        } catch (InvalidDescriptionException expected) {
            // a clear error for the operator; the group is simply not served
        }
    }
}
