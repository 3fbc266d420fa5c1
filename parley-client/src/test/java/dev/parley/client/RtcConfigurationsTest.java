package dev.parley.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceTransportPolicy;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RtcConfigurationsTest {

    @Test
    void L15_iceServersOfEveryShapeAreConverted() throws Exception {
        ObjectNode json = (ObjectNode) dev.parley.protocol.Json.parse("""
                {"iceServers": [
                   {"urls": ["turn:10.0.0.1:1194", "turn:10.0.0.1:1194?transport=tcp"],
                    "username": "u", "credential": "p"},
                   {"urls": "stun:10.0.0.2"},
                   {"url": "stun:10.0.0.3"},
                   {"urls": []},
                   "junk"],
                 "iceTransportPolicy": "relay"}
                """);
        RTCConfiguration c = RtcConfigurations.fromJson(json);
        assertThat(c.iceServers).hasSize(3);
        assertThat(c.iceServers.get(0).urls).containsExactly("turn:10.0.0.1:1194", "turn:10.0.0.1:1194?transport=tcp");
        assertThat(c.iceServers.get(0).username).isEqualTo("u");
        assertThat(c.iceServers.get(0).password).isEqualTo("p");
        assertThat(c.iceServers.get(1).urls).containsExactly("stun:10.0.0.2");
        assertThat(c.iceServers.get(2).urls).containsExactly("stun:10.0.0.3");
        assertThat(c.iceTransportPolicy).isEqualTo(RTCIceTransportPolicy.RELAY);
    }

    @Test
    void absentConfigurationIsTheDefault() {
        assertThat(RtcConfigurations.fromJson(null).iceServers).isEmpty();
    }

    @Test
    void C4_timesAreParsedWithTheirOffset() {
        assertThat(ServerMessages.parseTime("2026-11-25T16:28:46+01:00"))
                .isEqualTo(Instant.parse("2026-11-25T15:28:46Z"));
        assertThat(ServerMessages.parseTime("2026-11-25T15:28:46.123Z"))
                .isEqualTo(Instant.parse("2026-11-25T15:28:46.123Z"));
        assertThat(ServerMessages.parseTime("1795620526621")).isEqualTo(Instant.ofEpochMilli(1795620526621L));
        assertThat(ServerMessages.parseTime("yesterday")).isNull();
        assertThat(ServerMessages.parseTime(null)).isNull();
    }
}
