package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.rtc.srtp.SrtpProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void defaultsAndOverrides() {
        BenchOptions o = BenchOptions.parse(new String[] {"--url", "ws://127.0.0.1:1/ws", "--group", "g",
                "--fanout-steps", "1,5,9", "--simulcast", "--srtp", "cm"});
        assertThat(o.fanoutSteps()).containsExactly(1, 5, 9);
        assertThat(o.simulcast()).isTrue();
        assertThat(o.srtpProfiles()).containsExactly(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        assertThat(o.scenarios()).isEqualTo(List.of("fanout", "meeting", "audio"));
        assertThat(o.serverPid()).isEqualTo(-1);
    }

    @Test
    void badFlagsAreExplained() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--group", "g"}))
                .hasMessageContaining("--url");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--url", "ws://x/ws", "--group", "g", "--bogus", "1"}))
                .hasMessageContaining("unknown flag --bogus");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--url", "ws://x/ws", "--group", "g",
                "--audio-steps", "5,3"})).hasMessageContaining("increase");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--url", "ws://x/ws", "--group", "g", "--srtp", "rot13"}))
                .hasMessageContaining("--srtp");
    }
}
