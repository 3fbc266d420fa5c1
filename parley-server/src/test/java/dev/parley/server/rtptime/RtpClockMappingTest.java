package dev.parley.server.rtptime;

import dev.parley.rtc.rtcp.NtpTime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RtpClockMappingTest {

    @Test
    void pitfall6_extrapolatesFromTheLastSenderReport() {
        RtpClockMapping m = new RtpClockMapping(90000);
        assertThat(m.isKnown()).isFalse();
        long ntp = NtpTime.fromUnixNanos(1_700_000_000_000_000_000L);
        m.onSenderReport(ntp, 0xFFFF_0000L, 5_000_000_000L);
        assertThat(m.isKnown()).isTrue();
        long later = 5_000_000_000L + 1_500_000_000L;
        assertThat(m.rtpTimestampAt(later)).isEqualTo((0xFFFF_0000L + 135_000) & 0xFFFF_FFFFL);
        assertThat(NtpTime.toUnixNanos(m.ntpAt(later)) - 1_700_000_000_000_000_000L)
                .isBetween(1_499_999_999L, 1_500_000_001L);
        assertThat(m.rtpTimestampAt(5_000_000_000L)).isEqualTo(0xFFFF_0000L);
    }
}
