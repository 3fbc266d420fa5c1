package dev.parley.rtc.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Seq16Test {
    @Test
    void comparesAcrossWrap() {
        assertThat(Seq16.delta(65535, 0)).isEqualTo(1);
        assertThat(Seq16.delta(0, 65535)).isEqualTo(-1);
        assertThat(Seq16.delta(100, 90)).isEqualTo(-10);
        assertThat(Seq16.isNewer(2, 65530)).isTrue();
        assertThat(Seq16.isNewer(65530, 2)).isFalse();
        assertThat(Seq16.isNewer(5, 5)).isFalse();
        assertThat(Seq16.add(65535, 2)).isEqualTo(1);
        assertThat(Seq16.add(0, -1)).isEqualTo(65535);
    }
}
