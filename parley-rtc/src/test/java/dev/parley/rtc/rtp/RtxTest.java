package dev.parley.rtc.rtp;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 4588 §4 payload format, both ways. */
class RtxTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void wrapPutsTheOriginalSequenceNumberInFrontOfThePayload() {
        byte[] original = HEX.parseHex("80e01234" + "00015f90" + "cafebabe" + "0102030405");   // marker, PT 96, seq 0x1234
        RtpPacket p = new RtpPacket();
        assertThat(p.wrap(original, 0, original.length)).isTrue();
        byte[] dst = new byte[100];
        int n = Rtx.wrap(p, dst, 0, 97, 7, 0x11223344L);
        assertThat(HEX.formatHex(dst, 0, n)).isEqualTo("80e10007" + "00015f90" + "11223344" + "1234" + "0102030405");
    }

    @Test
    void unwrapRestoresTheOriginalWithItsExtensions() {
        // RTX PT 97, seq 9, SSRC 0x11223344, a one-byte extension block, OSN 0x1234, payload 0102
        byte[] rtx = HEX.parseHex("90610009" + "00015f90" + "11223344" + "bede0001" + "10010000" + "1234" + "0102");
        RtpPacket p = new RtpPacket();
        assertThat(p.wrap(rtx, 0, rtx.length)).isTrue();
        byte[] dst = new byte[100];
        int n = Rtx.unwrap(p, dst, 0, 96, 0xCAFEBABEL);
        // the extensions stay: an AV1 original needs its dependency descriptor
        assertThat(HEX.formatHex(dst, 0, n)).isEqualTo("90601234" + "00015f90" + "cafebabe" + "bede0001" + "10010000"
                + "0102");
    }

    @Test
    void wrapKeepsTheOriginalsExtensionBlockInFrontOfTheOsn() {
        byte[] original = HEX.parseHex("90e01234" + "00015f90" + "cafebabe" + "bede0001" + "20aabb00" + "0102");
        RtpPacket p = new RtpPacket();
        assertThat(p.wrap(original, 0, original.length)).isTrue();
        byte[] dst = new byte[100];
        int n = Rtx.wrap(p, dst, 0, 97, 7, 0x11223344L);
        assertThat(HEX.formatHex(dst, 0, n)).isEqualTo("90e10007" + "00015f90" + "11223344" + "bede0001" + "20aabb00"
                + "1234" + "0102");
        RtpPacket back = new RtpPacket();
        assertThat(back.wrap(dst, 0, n)).isTrue();
        byte[] restored = new byte[100];
        int r = Rtx.unwrap(back, restored, 0, 96, 0xCAFEBABEL);
        assertThat(HEX.formatHex(restored, 0, r)).isEqualTo("90e01234" + "00015f90" + "cafebabe" + "bede0001" + "20aabb00"
                + "0102");
    }

    @Test
    void aPaddingOnlyProbeHasNoOriginal() {
        byte[] probe = new byte[12 + 200];
        RtpWriter.writeHeader(probe, 0, false, 97, 1, 0, 1);
        probe[0] |= 0x20;                                   // padding: all 200 bytes
        probe[probe.length - 1] = (byte) 200;
        RtpPacket p = new RtpPacket();
        assertThat(p.wrap(probe, 0, probe.length)).isTrue();
        assertThat(Rtx.unwrap(p, new byte[300], 0, 96, 2)).isEqualTo(-1);
    }

    @Test
    void noRoomWritesNothingUseful() {
        byte[] original = HEX.parseHex("80601234" + "00000000" + "00000001" + "0102");
        RtpPacket p = new RtpPacket();
        assertThat(p.wrap(original, 0, original.length)).isTrue();
        assertThat(Rtx.wrap(p, new byte[15], 0, 97, 1, 2)).isEqualTo(-1);
    }
}
