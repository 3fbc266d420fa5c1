package dev.parley.rtc.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.rtc.codec.PacketFlags;
import dev.parley.rtc.codec.VideoCodec;

/**
 * Fuzz target: {@link RtpPacket#wrap} returns false for anything malformed and never throws; for
 * a packet it accepts, every accessor the forwarding path uses (header fields, CSRCs, header
 * extensions in both forms, codec flags of the payload) stays inside the datagram.
 * Seeds: {@code RtpPacketFuzzTestInputs/}. Long runs: {@code ./parley fuzz}.
 */
class RtpPacketFuzzTest {
    private static final byte[] MID = {'0'};

    @FuzzTest
    void wrap(byte[] datagram) {
        RtpPacket p = new RtpPacket();
        if (!p.wrap(datagram, 0, datagram.length)) {
            return;
        }
        assertThat(p.payloadLength()).isNotNegative();
        assertThat(p.payloadOffset() + p.payloadLength() + p.paddingLength()).isEqualTo(datagram.length);
        p.marker();
        p.payloadType();
        p.sequenceNumber();
        p.timestamp();
        p.ssrc();
        for (int i = 0; i < p.csrcCount(); i++) {
            p.csrc(i);
        }
        for (int id = 0; id <= 256; id++) {
            int at = p.findExtension(id);
            if (at >= 0) {
                assertThat(at + p.lastExtensionLength()).isLessThanOrEqualTo(datagram.length);
            }
            p.extensionAsString(id);
            p.extensionEquals(id, MID);
        }
        PacketFlags flags = new PacketFlags();
        for (VideoCodec codec : VideoCodec.values()) {
            flags.parse(codec, p);
        }
    }
}
