package dev.parley.rtc.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RtpWriterTest {

    @Test
    void MD5_MD17_forwardedPacketHasFreshHeaderWithoutExtensions() {
        byte[] src = RtpPacketTest.chromiumLikeVideoPacket();
        RtpPacket in = new RtpPacket();
        in.wrap(src, 0, src.length);
        byte[] dst = new byte[1500];
        int n = RtpWriter.writeForwarded(in, dst, 10, 96, 7, 0x11223344L, false);
        assertThat(n).isEqualTo(12 + 5);

        RtpPacket out = new RtpPacket();
        assertThat(out.wrap(dst, 10, n)).isTrue();
        assertThat(out.hasExtension()).isFalse();
        assertThat(out.csrcCount()).isZero();
        assertThat(out.payloadType()).isEqualTo(96);
        assertThat(out.sequenceNumber()).isEqualTo(7);
        assertThat(out.ssrc()).isEqualTo(0x11223344L);
        assertThat(out.timestamp()).isEqualTo(0xDEADBEEFL);
        assertThat(out.marker()).isTrue();
        assertThat(Arrays.copyOfRange(dst, out.payloadOffset(), out.payloadOffset() + out.payloadLength()))
                .isEqualTo(Arrays.copyOfRange(src, 28, 33));
    }

    @Test
    void paddingAndCsrcsAreDroppedAndMarkerCanBeForced() {
        byte[] src = {(byte) 0xA1, 111, 0, 9, 0, 0, 0, 5, 0, 0, 0, 6, 0, 0, 0, 7, 9, 8, 7, 0, 2};
        RtpPacket in = new RtpPacket();
        assertThat(in.wrap(src, 0, src.length)).isTrue();
        byte[] dst = new byte[64];
        int n = RtpWriter.writeForwarded(in, dst, 0, 111, 1, 5, true);
        assertThat(n).isEqualTo(15);
        assertThat(Arrays.copyOf(dst, n)).isEqualTo(new byte[] {
            (byte) 0x80, (byte) (0x80 | 111), 0, 1, 0, 0, 0, 5, 0, 0, 0, 5, 9, 8, 7});
    }

    @Test
    void noRoomReturnsMinusOne() {
        byte[] src = RtpPacketTest.chromiumLikeVideoPacket();
        RtpPacket in = new RtpPacket();
        in.wrap(src, 0, src.length);
        assertThat(RtpWriter.writeForwarded(in, new byte[16], 0, 96, 1, 1, false)).isEqualTo(-1);
        assertThat(RtpWriter.writeForwarded(in, new byte[17], 1, 96, 1, 1, false)).isEqualTo(-1);
        assertThat(RtpWriter.writeForwarded(in, new byte[17], 0, 96, 1, 1, false)).isEqualTo(17);
    }

    @Test
    void oneExtensionElementIsForwarded_oneByteFormUpTo16Bytes_twoByteFormBeyond() {
        byte[] src = RtpPacketTest.chromiumLikeVideoPacket();
        RtpPacket in = new RtpPacket();
        in.wrap(src, 0, src.length);
        int[] lengths = {3, 16, 17, 40};
        for (int len : lengths) {
            byte[] dst = new byte[1500];
            // any bytes of the source stand for the element: its payload's first
            int elementLength = Math.min(len, in.payloadLength());
            int n = RtpWriter.writeForwarded(in, dst, 0, 96, 7, 0x11223344L, false, 4, in.payloadOffset(), elementLength);
            RtpPacket out = new RtpPacket();
            assertThat(out.wrap(dst, 0, n)).as("length %d", len).isTrue();
            assertThat(out.extensionProfile()).isEqualTo(elementLength <= 16 ? 0xBEDE : 0x1000);
            int at = out.findExtension(4);
            assertThat(out.lastExtensionLength()).isEqualTo(elementLength);
            assertThat(Arrays.copyOfRange(dst, at, at + elementLength))
                    .isEqualTo(Arrays.copyOfRange(src, in.payloadOffset(), in.payloadOffset() + elementLength));
            assertThat(Arrays.copyOfRange(dst, out.payloadOffset(), out.payloadOffset() + out.payloadLength()))
                    .isEqualTo(Arrays.copyOfRange(src, 28, 33));
            assertThat(out.sequenceNumber()).isEqualTo(7);
        }
        byte[] longSource = new byte[12 + 40];
        RtpWriter.writeHeader(longSource, 0, true, 96, 1, 2, 3);
        assertThat(in.wrap(longSource, 0, longSource.length)).isTrue();
        byte[] dst = new byte[200];
        int n = RtpWriter.writeForwarded(in, dst, 0, 96, 7, 1, false, 4, 12, 17);
        assertThat(n).isEqualTo(12 + 4 + 20 + 40);                 // 2 + 17 bytes padded to 20
        RtpPacket out = new RtpPacket();
        assertThat(out.wrap(dst, 0, n)).isTrue();
        assertThat(out.extensionProfile()).isEqualTo(0x1000);
        assertThat(out.payloadLength()).isEqualTo(40);
        assertThat(RtpWriter.writeForwarded(in, new byte[n - 1], 0, 96, 7, 1, false, 4, 12, 17)).isEqualTo(-1);
    }

    /** The block written with the packet is the one stamping used to insert: same bytes, and stamping no longer grows it. */
    @Test
    void aNumberedForwardedPacketIsWhatStampingAnUnnumberedOneGave() {
        byte[] src = RtpPacketTest.chromiumLikeVideoPacket();
        RtpPacket in = new RtpPacket();
        in.wrap(src, 0, src.length);
        for (int off : new int[] {0, 10}) {
            byte[] old = new byte[1500];
            int n = RtpWriter.writeForwarded(in, old, off, 96, 7, 0x11223344L, true);
            n = TransportSequence.stamp(old, off, n, 5, 0xBEEF);
            byte[] numbered = new byte[1500];
            int m = RtpWriter.writeForwardedNumbered(in, numbered, off, 96, 7, 0x11223344L, true, 5);
            assertThat(m).isEqualTo(n);
            assertThat(TransportSequence.stamp(numbered, off, m, 5, 0xBEEF)).as("overwritten in place").isEqualTo(m);
            assertThat(numbered).isEqualTo(old);
        }
        assertThat(RtpWriter.writeForwardedNumbered(in, new byte[12 + 8 + 4], 0, 96, 7, 1, false, 5)).as("no room").isEqualTo(-1);
        assertThat(RtpWriter.writeForwardedNumbered(in, new byte[1500], 0, 96, 7, 1, false, 15)).as("not a one-byte id").isEqualTo(-1);
    }

    /**
     * Issue #13: the AV1 copy (one forwarded element) with the transport-wide element written
     * beside it is what stamping the copy without it gave, for every element length of both forms
     * (the element's padding kept in front of the appended word), and stamping no longer grows it.
     */
    @Test
    void anElementAndANumberWrittenTogetherAreWhatStampingTheElementAloneGave() {
        byte[] src = new byte[12 + 60 + 900];
        for (int i = 0; i < src.length; i++) {
            src[i] = (byte) (i * 7 + 1);
        }
        RtpWriter.writeHeader(src, 0, false, 35, 9, 0xCAFEL, 0x77);
        RtpPacket in = new RtpPacket();
        assertThat(in.wrap(src, 0, src.length)).isTrue();
        for (int elementLength = 1; elementLength <= 40; elementLength++) {
            for (int off : new int[] {0, 3}) {
                for (int id : new int[] {4, 14, 15}) {
                    byte[] old = new byte[1500];
                    int n = RtpWriter.writeForwarded(in, old, off, 35, 7, 0x11223344L, true, id, 12, elementLength);
                    int stamped = TransportSequence.stamp(old, off, n, 3, 0xBEEF);
                    assertThat(stamped).as("the old way appended a word").isEqualTo(n + 4);
                    byte[] together = new byte[1500];
                    int m = RtpWriter.writeForwarded(in, together, off, 35, 7, 0x11223344L, true, id, 12, elementLength, 3);
                    assertThat(m).as("element %d bytes, id %d", elementLength, id).isEqualTo(stamped);
                    assertThat(TransportSequence.stamp(together, off, m, 3, 0xBEEF)).as("in place").isEqualTo(m);
                    assertThat(together).as("element %d bytes, id %d, offset %d", elementLength, id, off).isEqualTo(old);
                }
            }
        }
    }

    @Test
    void anElementAndANumberTogether_rangesAndRoom() {
        byte[] src = new byte[12 + 40 + 100];
        RtpWriter.writeHeader(src, 0, false, 35, 9, 0xCAFEL, 0x77);
        RtpPacket in = new RtpPacket();
        assertThat(in.wrap(src, 0, src.length)).isTrue();
        int n = RtpWriter.writeForwarded(in, new byte[1500], 0, 35, 7, 1, false, 4, 12, 3, 3);
        assertThat(n).isEqualTo(12 + 4 + 4 + 4 + 140);
        assertThat(RtpWriter.writeForwarded(in, new byte[n - 1], 0, 35, 7, 1, false, 4, 12, 3, 3)).as("no room").isEqualTo(-1);
        assertThat(RtpWriter.writeForwarded(in, new byte[1500], 0, 35, 7, 1, false, 4, 12, 3, 15))
                .as("not a one-byte id").isEqualTo(-1);
        assertThat(RtpWriter.writeForwarded(in, new byte[1500], 0, 35, 7, 1, false, 4, 12, 17, 200))
                .as("a two-byte id").isEqualTo(12 + 4 + 20 + 4 + 140);
        assertThat(RtpWriter.writeForwarded(in, new byte[1500], 0, 35, 7, 1, false, 4, 12, 3, 4))
                .as("the element's own id").isEqualTo(-1);
        assertThat(RtpWriter.writeForwarded(in, new byte[1500], 0, 35, 7, 1, false, 4, 12, 3, 0))
                .as("0: no number").isEqualTo(12 + 8 + 140);
    }
}
