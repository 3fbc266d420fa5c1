package dev.parley.rtc.rtcp;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static dev.parley.rtc.rtcp.TransportFeedbackWriter.NOT_RECEIVED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transport feedback against packets worked out by hand from the format of
 * draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1 (chunk bit layouts, 250 µs deltas,
 * 64 ms reference time, padding).
 */
class TransportFeedbackWriterTest {
    private static final long SENDER = 0x11223344L;
    private static final long MEDIA = 0x55667788L;

    private final TransportFeedbackWriter writer = new TransportFeedbackWriter(1024);
    private final byte[] buf = new byte[1500];

    private String write(int baseSeq, int fbCount, long... arrivals) {
        int n = writer.write(buf, 0, buf.length, SENDER, MEDIA, baseSeq, arrivals, 0, arrivals.length, fbCount);
        assertThat(n % 4).isZero();
        assertThat(RtcpReader.isValid(buf, 0, n)).as("a valid RTCP packet").isTrue();
        return HexFormat.of().formatHex(buf, 0, n);
    }

    @Test
    void twoBitStatusVectorWithSmallLostAndLargeDeltasAndPadding() {
        // reference 5 (320 ms); deltas 4 (1 ms), 2 (0.5 ms), lost, 314 (78.5 ms, two bytes)
        String hex = write(100, 7, 321_000, 321_500, NOT_RECEIVED, 400_000);
        assertThat(hex).isEqualTo("af cd 00 06 11223344 55667788 0064 0004 000005 07 d480 04 02 01 3a 00 02"
                .replace(" ", ""));
        assertThat(writer.covered()).isEqualTo(4);
    }

    @Test
    void runLengthChunkForTwentyReceivedPackets() {
        long[] arrivals = new long[20];
        for (int i = 0; i < arrivals.length; i++) {
            arrivals[i] = 64_000 + 1000L * i;
        }
        String hex = write(0xFFF0, 0, arrivals);
        assertThat(hex).isEqualTo(("af cd 00 0a 11223344 55667788 fff0 0014 000001 00 2014 00" + " 04".repeat(19)
                + " 00 02").replace(" ", ""));
    }

    @Test
    void oneBitStatusVectorForReceivedAndLost() {
        String hex = write(7, 1, 128_000, NOT_RECEIVED, 128_250);
        // deltas 0 and 1; 20 + 2 + 2 = 24: no padding
        assertThat(hex).isEqualTo("8f cd 00 05 11223344 55667788 0007 0003 000002 01 a800 00 01".replace(" ", ""));
    }

    @Test
    void reorderedArrivalIsANegativeLargeDelta() {
        String hex = write(1, 2, 128_000, 127_000);
        // delta 0, then -4 (-1 ms) as two signed bytes; 2-bit symbols 01 10
        assertThat(hex).isEqualTo("af cd 00 06 11223344 55667788 0001 0002 000002 02 d800 00 fffc 00 00 03"
                .replace(" ", ""));
    }

    @Test
    void leadingLossRunThenOneBitVector() {
        long[] arrivals = new long[21];
        java.util.Arrays.fill(arrivals, NOT_RECEIVED);
        arrivals[20] = 64_000 * 3 + 250 * 10;
        String hex = write(500, 3, arrivals);
        assertThat(hex).isEqualTo("af cd 00 06 11223344 55667788 01f4 0015 000003 03 0014 a000 0a 00 00 03"
                .replace(" ", ""));
    }

    @Test
    void aDeltaBeyondTwoBytesEndsThePacketForTheNextOne() {
        write(10, 0, 0, 10_000_000);
        assertThat(writer.covered()).isEqualTo(1);
    }

    @Test
    void trailingLossesAreLeftForTheNextPacket() {
        write(10, 0, 64_000, NOT_RECEIVED, NOT_RECEIVED);
        assertThat(writer.covered()).isEqualTo(1);
    }

    @Test
    void nothingReceivedWritesNothing() {
        assertThat(writer.write(buf, 0, buf.length, SENDER, MEDIA, 0, new long[]{NOT_RECEIVED}, 0, 1, 0)).isZero();
    }

    @Test
    void aSmallBufferLimitsTheStatusesDescribed() {
        long[] arrivals = new long[400];
        for (int i = 0; i < arrivals.length; i++) {
            arrivals[i] = i % 2 == 0 ? 64_000 + 100_000L * i : NOT_RECEIVED;      // all large deltas
        }
        int n = writer.write(buf, 0, 200, SENDER, MEDIA, 0, arrivals, 0, arrivals.length, 0);
        assertThat(n).isLessThanOrEqualTo(200).isPositive();
        assertThat(writer.covered()).isBetween(1, 399);
        assertThat(RtcpReader.isValid(buf, 0, n)).isTrue();
    }
}
