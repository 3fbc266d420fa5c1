package dev.parley.rtc.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target: {@link RtcpReader#read} answers {@link RtcpReader#MALFORMED} for a bad compound
 * packet and never throws; for one it accepts, every callback (report blocks, SDES items, NACK
 * and FIR entries, the REMB SSRC list, skipped packets) describes bytes inside the datagram.
 * Seeds: {@code RtcpReaderFuzzTestInputs/}. Long runs: {@code ./parley fuzz}.
 */
class RtcpReaderFuzzTest {

    @FuzzTest
    void read(byte[] datagram) {
        int delivered = RtcpReader.read(datagram, 0, datagram.length, new BoundsCheckingHandler(datagram.length));
        if (RtcpReader.isValid(datagram, 0, datagram.length)) {
            assertThat(delivered).isPositive();
        } else {
            assertThat(delivered).isEqualTo(RtcpReader.MALFORMED);
        }
    }

    /** Touches every byte range a callback is given, so a range past the datagram throws. */
    private record BoundsCheckingHandler(int datagramLength) implements RtcpHandler {
        @Override
        public void onSdesCname(long ssrc, byte[] buf, int off, int len) {
            assertInside(off, len);
        }

        @Override
        public void onRemb(long senderSsrc, long bitrateBps, byte[] buf, int ssrcOff, int ssrcCount) {
            assertThat(bitrateBps).isNotNegative();
            assertInside(ssrcOff, 4 * ssrcCount);
            for (int i = 0; i < ssrcCount; i++) {
                RtcpReader.ssrcAt(buf, ssrcOff, i);
            }
        }

        @Override
        public void onOther(int packetType, int fmt, byte[] buf, int off, int len) {
            assertInside(off, len);
        }

        private void assertInside(int off, int len) {
            assertThat(off).isNotNegative();
            assertThat(len).isNotNegative();
            assertThat(off + len).isLessThanOrEqualTo(datagramLength);
        }
    }
}
