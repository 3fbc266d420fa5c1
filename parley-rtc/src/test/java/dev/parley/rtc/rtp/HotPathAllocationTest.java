package dev.parley.rtc.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.rtc.codec.KeyframeDetector;
import dev.parley.rtc.codec.PacketFlags;
import dev.parley.rtc.codec.Vp8Descriptor;
import dev.parley.rtc.codec.VideoCodec;
import dev.parley.rtc.rtcp.RtcpHandler;
import dev.parley.rtc.rtcp.RtcpReader;
import dev.parley.rtc.rtcp.RtcpWriter;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The media path must not allocate per packet. Measures bytes allocated by this thread (not
 * time) over many iterations of the per-packet operations, after a warm-up.
 */
class HotPathAllocationTest {
    private static final int ITERATIONS = 200_000;

    static final class Counting implements RtcpHandler {
        long sum;

        @Override
        public void onNack(long sender, long media, int pid, int blp) {
            sum += pid + blp;
        }

        @Override
        public void onReceptionReport(long reporter, long source, int fraction, int cumulative, long highest,
                long jitter, long lsr, long dlsr) {
            sum += fraction;
        }

        @Override
        public void onRemb(long sender, long bitrate, byte[] buf, int off, int count) {
            sum += bitrate + RtcpReader.ssrcAt(buf, off, 0);
        }
    }

    private static long allocatedBytes() {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return bean.getThreadAllocatedBytes(Thread.currentThread().threadId());
    }

    @Test
    void perPacketRtpRtcpAndCodecOperationsDoNotAllocate() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
                && bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled());
        byte[] in = RtpPacketTest.chromiumLikeVideoPacket();
        byte[] out = new byte[1500];
        byte[] rtcp = new byte[1500];
        int[] seqs = {10, 12, 13, 40};
        RtpPacket packet = new RtpPacket();
        KeyframeDetector detector = new KeyframeDetector();
        PacketFlags flags = new PacketFlags();
        Counting handler = new Counting();
        byte[] mid = {'1'};

        long checksum = 0;
        long before = 0;
        for (int round = 0; round < 2; round++) {
            if (round == 1) {
                before = allocatedBytes();
            }
            for (int i = 0; i < ITERATIONS; i++) {
                packet.wrap(in, 0, in.length);
                checksum += packet.findExtension(10) + (packet.extensionEquals(4, mid) ? 1 : 0);
                int n = RtpWriter.writeForwarded(packet, out, 0, 96, i & 0xFFFF, 1234, false);
                checksum += detector.isKeyframe(VideoCodec.VP8, out, 12, n - 12) ? 1 : 0;
                flags.parse(VideoCodec.VP8, packet);
                checksum += flags.tid();
                Vp8Descriptor.addToPictureId(out, 12, n - 12, 1);
                int len = RtcpWriter.receiverReport(rtcp, 0, 1);
                len = RtcpWriter.addReportBlock(rtcp, 0, 2, 3, 4, 5, 6, 7, 8);
                len += RtcpWriter.remb(rtcp, len, 1, 1_000_000 + i, 2);
                len += RtcpWriter.nack(rtcp, len, 1, 2, seqs, seqs.length);
                checksum += RtcpReader.read(rtcp, 0, len, handler);
            }
        }
        long allocated = allocatedBytes() - before;
        assertThat(checksum + handler.sum).isNotZero();
        // a few hundred bytes of slack for the measurement itself
        assertThat(allocated).as("bytes allocated over %d packets", ITERATIONS).isLessThan(4096);
    }
}
