package dev.parley.server.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.rtc.srtp.SrtpProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which SRTP profile the server prefers in DTLS use_srtp (MediaService.srtpPreference). */
class SrtpPreferenceTest {
    @AfterEach
    void clear() {
        System.clearProperty("parley.srtp");
    }

    @Test
    void gcmFirst_exactlyWhenItRunsOnOpenSsl_bothAlwaysAccepted() {
        assertThat(MediaService.srtpPreference()).containsExactlyInAnyOrder(SrtpProfile.values());
        assertThat(MediaService.srtpPreference().getFirst())
                .isEqualTo(SrtpProfile.gcmIsNative() ? SrtpProfile.AEAD_AES_128_GCM : SrtpProfile.AES_CM_128_HMAC_SHA1_80);
    }

    @Test
    void property_forcesTheOrder() {
        System.setProperty("parley.srtp", "cm");
        assertThat(MediaService.srtpPreference().getFirst()).isEqualTo(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        System.setProperty("parley.srtp", "gcm");
        assertThat(MediaService.srtpPreference().getFirst()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
    }
}
