package dev.parley.rtc.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RtpPacketTest {

    /** V=2, X=1, M=1, PT=96, seq 0xABCD, ts 0xDEADBEEF, SSRC 0xCAFEBABE, one-byte ext (mid=4 "1", rid=10 "h"). */
    static byte[] chromiumLikeVideoPacket() {
        return new byte[] {
            (byte) 0x90, (byte) 0xE0, (byte) 0xAB, (byte) 0xCD,
            (byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF,
            (byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE,
            (byte) 0xBE, (byte) 0xDE, 0x00, 0x03, // one-byte profile, 3 words
            0x22, 0x01, 0x02, 0x03,               // id 2 (abs-send-time), 3 bytes
            0x40, '1',                            // id 4 (mid), 1 byte "1"
            0x00,                                 // padding byte between elements
            (byte) 0xA0, 'h',                     // id 10 (rid), "h"
            0x00, 0x00, 0x00,                     // padding to the word
            (byte) 0x90, 0x10, 0x20, 0x30, 0x40   // payload (a VP8 descriptor + data)
        };
    }

    @Test
    void readsFixedHeaderFields() {
        RtpPacket p = new RtpPacket();
        byte[] b = chromiumLikeVideoPacket();
        assertThat(p.wrap(b, 0, b.length)).isTrue();
        assertThat(p.version()).isEqualTo(2);
        assertThat(p.hasPadding()).isFalse();
        assertThat(p.hasExtension()).isTrue();
        assertThat(p.csrcCount()).isZero();
        assertThat(p.marker()).isTrue();
        assertThat(p.payloadType()).isEqualTo(96);
        assertThat(p.sequenceNumber()).isEqualTo(0xABCD);
        assertThat(p.timestamp()).isEqualTo(0xDEADBEEFL);
        assertThat(p.ssrc()).isEqualTo(0xCAFEBABEL);
        assertThat(p.extensionProfile()).isEqualTo(0xBEDE);
        assertThat(p.headerLength()).isEqualTo(28);
        assertThat(p.payloadOffset()).isEqualTo(28);
        assertThat(p.payloadLength()).isEqualTo(5);
    }

    @Test
    void MD6_oneByteExtensionLookupFindsMidAndRid() {
        RtpPacket p = new RtpPacket();
        byte[] b = chromiumLikeVideoPacket();
        p.wrap(b, 0, b.length);
        assertThat(p.extensionAsString(4)).isEqualTo("1");
        assertThat(p.extensionAsString(10)).isEqualTo("h");
        assertThat(p.extensionEquals(10, "h".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(p.extensionEquals(10, "l".getBytes(StandardCharsets.US_ASCII))).isFalse();
        int at = p.findExtension(2);
        assertThat(at).isEqualTo(17);
        assertThat(p.lastExtensionLength()).isEqualTo(3);
        assertThat(p.findExtension(11)).isEqualTo(-1);
        assertThat(p.extensionAsString(11)).isNull();
        assertThat(p.findExtension(15)).isEqualTo(-1);
    }

    @Test
    void twoByteExtensionLookupAtNonZeroOffset() {
        byte[] b = new byte[100];
        int off = 7;
        byte[] pkt = {
            (byte) 0x90, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2,
            0x10, 0x00, 0x00, 0x02,     // two-byte profile, 2 words
            0x00,                       // padding
            20, 3, 'a', 'b', 'c',       // id 20, "abc"
            4, 0,                       // id 4, zero length
            1, 2, 3                     // payload
        };
        System.arraycopy(pkt, 0, b, off, pkt.length);
        RtpPacket p = new RtpPacket();
        assertThat(p.wrap(b, off, pkt.length)).isTrue();
        assertThat(p.extensionAsString(20)).isEqualTo("abc");
        assertThat(p.findExtension(4)).isPositive();
        assertThat(p.lastExtensionLength()).isZero();
        assertThat(p.payloadOffset()).isEqualTo(off + 24);
        assertThat(p.payloadLength()).isEqualTo(3);
    }

    @Test
    void csrcsAndPaddingAreAccountedFor() {
        byte[] b = {
            (byte) 0xA2, 111, 0, 9, 0, 0, 0, 5, 0, 0, 0, 6,
            0, 0, 0, 7, 0, 0, 0, 8,     // two CSRCs
            1, 2, 3, 4, 5,              // payload
            0, 0, 3                     // 3 bytes of padding
        };
        RtpPacket p = new RtpPacket();
        assertThat(p.wrap(b, 0, b.length)).isTrue();
        assertThat(p.csrcCount()).isEqualTo(2);
        assertThat(p.csrc(1)).isEqualTo(8);
        assertThat(p.headerLength()).isEqualTo(20);
        assertThat(p.paddingLength()).isEqualTo(3);
        assertThat(p.payloadLength()).isEqualTo(5);
        assertThat(p.findExtension(1)).isEqualTo(-1);
    }

    @Test
    void settersRewriteInPlace() {
        byte[] b = chromiumLikeVideoPacket();
        RtpPacket p = new RtpPacket();
        p.wrap(b, 0, b.length);
        p.setMarker(false);
        p.setPayloadType(100);
        p.setSequenceNumber(65535);
        p.setTimestamp(0xFFFFFFFFL);
        p.setSsrc(1);
        assertThat(p.marker()).isFalse();
        assertThat(p.payloadType()).isEqualTo(100);
        assertThat(p.sequenceNumber()).isEqualTo(65535);
        assertThat(p.timestamp()).isEqualTo(0xFFFFFFFFL);
        assertThat(p.ssrc()).isEqualTo(1);
        assertThat(p.extensionAsString(4)).isEqualTo("1");
    }

    @Test
    void malformedHeadersAreRejected() {
        RtpPacket p = new RtpPacket();
        byte[] good = chromiumLikeVideoPacket();
        byte[] v1 = good.clone();
        v1[0] = (byte) 0x50;
        assertThat(p.wrap(v1, 0, v1.length)).isFalse();
        byte[] zeroPadding = good.clone();
        zeroPadding[0] |= 0x20;
        zeroPadding[zeroPadding.length - 1] = 0;
        assertThat(p.wrap(zeroPadding, 0, zeroPadding.length)).isFalse();
        byte[] hugePadding = good.clone();
        hugePadding[0] |= 0x20;
        hugePadding[hugePadding.length - 1] = (byte) 200;
        assertThat(p.wrap(hugePadding, 0, hugePadding.length)).isFalse();
        byte[] extOverrun = good.clone();
        extOverrun[15] = 50;
        assertThat(p.wrap(extOverrun, 0, extOverrun.length)).isFalse();
        byte[] tooManyCsrcs = good.clone();
        tooManyCsrcs[0] = (byte) 0x8F;
        assertThat(p.wrap(tooManyCsrcs, 0, tooManyCsrcs.length)).isFalse();
        assertThat(p.wrap(good, 0, good.length + 1)).isFalse();
        assertThat(p.wrap(good, -1, 5)).isFalse();
        assertThat(p.wrap(null, 0, 0)).isFalse();
    }

    @Test
    void everyTruncationIsHandledWithoutException() {
        byte[] good = chromiumLikeVideoPacket();
        RtpPacket p = new RtpPacket();
        for (int n = 0; n < good.length; n++) {
            boolean ok = p.wrap(Arrays.copyOf(good, n), 0, n);
            // the header ends at 28: anything shorter cannot hold it
            assertThat(ok).as("length %d", n).isEqualTo(n >= 28);
        }
    }

    @Test
    void extensionElementOverrunningItsBlockIsNotReturned() {
        byte[] b = chromiumLikeVideoPacket();
        b[20] = 0x4F; // mid element claims 16 bytes, beyond the 12-byte block
        RtpPacket p = new RtpPacket();
        assertThat(p.wrap(b, 0, b.length)).isTrue();
        assertThat(p.findExtension(4)).isEqualTo(-1);
        assertThat(p.findExtension(10)).isEqualTo(-1);
    }

    @Test
    void randomGarbageNeverThrows() {
        Random r = new Random(42);
        RtpPacket p = new RtpPacket();
        byte[] b = new byte[64];
        int valid = 0;
        for (int i = 0; i < 100_000; i++) {
            r.nextBytes(b);
            b[0] = (byte) (0x80 | (b[0] & 0x3F));
            int len = r.nextInt(b.length + 1);
            if (p.wrap(b, 0, len)) {
                valid++;
                assertThat(p.payloadLength()).isBetween(0, len);
                for (int id = 1; id < 16; id++) {
                    int at = p.findExtension(id);
                    if (at >= 0) {
                        assertThat(at + p.lastExtensionLength()).isLessThanOrEqualTo(len);
                    }
                }
            }
        }
        assertThat(valid).isPositive();
    }
}
