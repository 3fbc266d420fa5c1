package dev.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

/**
 * Fuzz target: any WebSocket text frame either decodes to a {@link Message} or is rejected with
 * {@link MessageCodec.MalformedMessageException} (W3); a decoded message encodes, and the encoding
 * decodes again to the same message. Seeds: {@code MessageCodecFuzzTestInputs/}. Long runs:
 * {@code ./parley fuzz}.
 */
class MessageCodecFuzzTest {

    @FuzzTest
    @DictionaryEntries({"\"type\"", "\"kind\"", "\"id\"", "\"source\"", "\"dest\"", "\"username\"",
            "\"password\"", "\"token\"", "\"version\"", "\"permissions\"", "\"status\"", "\"data\"",
            "\"group\"", "\"value\"", "\"noecho\"", "\"time\"", "\"sdp\"", "\"label\"", "\"candidate\"",
            "\"sdpMLineIndex\"", "\"request\"", "\"rtcConfiguration\"", "\"privileged\"", "\"replace\"",
            "null", "true", "false", "[\"2\"]", "{}", "1e999", "\"\\u0000\""})
    void decode(byte[] frame) throws MessageCodec.MalformedMessageException {
        Message m;
        try {
            m = MessageCodec.decode(new String(frame, StandardCharsets.UTF_8));
        } catch (MessageCodec.MalformedMessageException expected) {
            return;
        }
        String encoded = MessageCodec.encode(m);
        assertThat(MessageCodec.encode(MessageCodec.decode(encoded))).isEqualTo(encoded);
    }
}
