package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.bench.impair.ImpairmentProfile;
import dev.parley.bench.media.Pacing;
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
        assertThat(o.peersPerReader()).isEqualTo(4);
        assertThat(o.impairments().isEmpty()).isTrue();
        assertThat(o.halfLoadStep()).isTrue();
        assertThat(o.pacing()).isEqualTo(Pacing.LIBWEBRTC);
    }

    @Test
    void publishersPaceLikeLibwebrtcUnlessToldToBurst() {
        String[] base = {"--url", "ws://127.0.0.1:1/ws", "--group", "g"};
        assertThat(BenchOptions.parse(concat(base, "--burst")).pacing()).isEqualTo(Pacing.BURST);
        assertThat(BenchOptions.parse(concat(base, "--pacing-factor", "1.1", "--pacing-burst-ms", "5")).pacing())
                .isEqualTo(Pacing.libwebrtc(1.1, 5));
        assertThatThrownBy(() -> BenchOptions.parse(concat(base, "--burst", "--pacing-factor", "2")))
                .hasMessageContaining("--burst");
        assertThatThrownBy(() -> BenchOptions.parse(concat(base, "--pacing-factor", "0")))
                .hasMessageContaining("pacing factor");
        assertThatThrownBy(() -> BenchOptions.parse(concat(base, "--pacing-burst-ms", "x")))
                .hasMessageContaining("--pacing-burst-ms");
    }

    /** --transport-cc: publishers offer it, and pace at libwebrtc's factor with it (1.1) unless told otherwise. */
    @Test
    void transportCcPacesAtLibwebrtcsStrictFactorByDefault() {
        String[] base = {"--url", "ws://127.0.0.1:1/ws", "--group", "g"};
        assertThat(BenchOptions.parse(base).transportCc()).isFalse();
        BenchOptions o = BenchOptions.parse(concat(base, "--transport-cc"));
        assertThat(o.transportCc()).isTrue();
        assertThat(o.pacing()).isEqualTo(Pacing.libwebrtc(1.1, Pacing.LIBWEBRTC_BURST_MILLIS));
        assertThat(BenchOptions.parse(concat(base, "--transport-cc", "--pacing-factor", "2.5")).pacing())
                .isEqualTo(Pacing.LIBWEBRTC);
        assertThat(BenchOptions.parse(concat(base, "--transport-cc", "--burst")).pacing()).isEqualTo(Pacing.BURST);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void readerModeAndImpairmentGroups() {
        BenchOptions o = BenchOptions.parse(new String[] {"--url", "ws://127.0.0.1:1/ws", "--group", "g",
                "--peers-per-reader", "1", "--impair", "group=25%:loss=5,delay=50ms;group=25%:rate=300k",
                "--impair-seed", "7", "--no-half-load"});
        assertThat(o.peersPerReader()).isEqualTo(1);
        assertThat(o.readerMode()).startsWith("1 peer per reader thread");
        assertThat(o.impairments().groups()).containsExactly(
                new ImpairmentProfile(0.25, 5, 50, 0, ImpairmentProfile.DEFAULT_QUEUE_MILLIS),
                new ImpairmentProfile(0.25, 0, 0, 300_000, ImpairmentProfile.DEFAULT_QUEUE_MILLIS));
        assertThat(o.impairments().seed()).isEqualTo(7);
        assertThat(o.halfLoadStep()).isFalse();
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--url", "ws://x/ws", "--group", "g",
                "--peers-per-reader", "0"})).hasMessageContaining("--peers-per-reader");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--url", "ws://x/ws", "--group", "g",
                "--impair", "group=25%:jitter=3"})).hasMessageContaining("jitter");
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
