package dev.parley.rtc.rtp;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** Stamping transport-wide sequence numbers into outgoing packets, checked byte by byte and by {@link RtpPacket}. */
class TransportSequenceTest {
    private static final int ID = 3;
    private final byte[] buf = new byte[64];
    private final RtpPacket p = new RtpPacket();

    private int put(String hex) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        System.arraycopy(b, 0, buf, 0, b.length);
        return b.length;
    }

    private String hex(int n) {
        return HexFormat.of().formatHex(buf, 0, n);
    }

    private int stampedValue(int n) {
        assertThat(p.wrap(buf, 0, n)).isTrue();
        int at = p.findExtension(ID);
        assertThat(p.lastExtensionLength()).isEqualTo(2);
        return ((buf[at] & 0xFF) << 8) | (buf[at + 1] & 0xFF);
    }

    @Test
    void insertsABlockInFrontOfThePayloadOfAPlainPacket() {
        int n = put("80 60 0102 00000003 00000004 aabbcc");
        int m = TransportSequence.stamp(buf, 0, n, ID, 0x1234);
        assertThat(m).isEqualTo(n + 8);
        assertThat(hex(m)).isEqualTo("90600102000000030000000" + "4bede000131123400aabbcc");
        assertThat(stampedValue(m)).isEqualTo(0x1234);
        assertThat(p.payloadLength()).isEqualTo(3);
    }

    @Test
    void overwritesTheValueWhereThePacketAlreadyCarriesIt() {
        // one-byte block: mid (id 1, "a"), transport-wide seq (id 3, 0x0001)
        int n = put("90 60 0102 00000003 00000004 bede 0002 10 61 31 0001 000000 ff");
        int m = TransportSequence.stamp(buf, 0, n, ID, 0xFFFF);
        assertThat(m).isEqualTo(n);
        assertThat(stampedValue(m)).isEqualTo(0xFFFF);
        assertThat(p.findExtension(1)).isPositive();
    }

    @Test
    void appendsToAnExtensionBlockWithoutIt() {
        int n = put("90 60 0102 00000003 00000004 bede 0001 10 61 00 00 ee");
        int m = TransportSequence.stamp(buf, 0, n, ID, 7);
        assertThat(m).isEqualTo(n + 4);
        assertThat(stampedValue(m)).isEqualTo(7);
        assertThat(p.findExtension(1)).as("the other element survives").isPositive();
        assertThat(p.payloadLength()).isEqualTo(1);
        assertThat(buf[m - 1]).isEqualTo((byte) 0xee);
    }

    @Test
    void twoByteForm_overwritesOrAppendsAnElementOfItsOwnForm() {
        // the forwarded AV1 dependency descriptor goes in the two-byte form when it is long
        int n = put("90 60 0102 00000003 00000004 1000 0001 0302 0001 ee");
        assertThat(TransportSequence.stamp(buf, 0, n, ID, 0xBEEF)).isEqualTo(n);
        assertThat(stampedValue(n)).isEqualTo(0xBEEF);
        n = put("90 60 0102 00000003 00000004 1000 0002 0405 0102030405 00 ee");
        int m = TransportSequence.stamp(buf, 0, n, ID, 9);
        assertThat(m).isEqualTo(n + 4);
        assertThat(hex(m)).isEqualTo("906001020000000300000004" + "10000003" + "04050102030405" + "00" + "03020009" + "ee");
        assertThat(stampedValue(m)).isEqualTo(9);
        assertThat(p.findExtension(4)).as("the descriptor survives").isPositive();
        assertThat(p.lastExtensionLength()).isEqualTo(5);
    }

    @Test
    void leavesPacketsItCannotStampUnchanged() {
        int n = put("90 60 0102 00000003 00000004 abcd 0001 0302 0001");      // unknown profile
        assertThat(TransportSequence.stamp(buf, 0, n, ID, 7)).isEqualTo(-1);
        byte[] tight = HexFormat.of().parseHex("806001020000000300000004aa");
        assertThat(TransportSequence.stamp(tight, 0, tight.length, ID, 7)).as("no room").isEqualTo(-1);
        assertThat(HexFormat.of().formatHex(tight)).isEqualTo("806001020000000300000004aa");
    }

    @Test
    void paddingOnlyProbeIsAValidPacketWithNoPayload() {
        int n = TransportSequence.writePadding(buf, 0, 97, 500, 90_000, 0xCAFEL, ID, 42, 30);
        assertThat(n).isEqualTo(12 + 8 + 30);
        assertThat(p.wrap(buf, 0, n)).isTrue();
        assertThat(p.payloadLength()).isZero();
        assertThat(p.paddingLength()).isEqualTo(30);
        assertThat(p.payloadType()).isEqualTo(97);
        assertThat(p.sequenceNumber()).isEqualTo(500);
        assertThat(p.ssrc()).isEqualTo(0xCAFEL);
        assertThat(stampedValue(n)).isEqualTo(42);
        assertThat(TransportSequence.writePadding(buf, 0, 97, 500, 0, 1, ID, 42, 256)).isEqualTo(-1);
    }
}
