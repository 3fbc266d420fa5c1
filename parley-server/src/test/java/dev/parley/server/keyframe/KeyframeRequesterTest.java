package dev.parley.server.keyframe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyframeRequesterTest {

    @Test
    void MD11_pliAtOnceThenEvery500msUntilKeyframe() {
        KeyframeRequester k = new KeyframeRequester();
        assertThat(k.pollPli(0)).isFalse();
        k.request();
        assertThat(k.pollPli(1000)).isTrue();
        k.request(); // a second subscriber asks: no extra PLI
        assertThat(k.pollPli(1200)).isFalse();
        assertThat(k.pollPli(1499)).isFalse();
        assertThat(k.pollPli(1500)).isTrue();
        k.onKeyframe();
        assertThat(k.isNeeded()).isFalse();
        assertThat(k.pollPli(2500)).isFalse();
        k.request();
        assertThat(k.pollPli(2600)).isTrue();
    }
}
