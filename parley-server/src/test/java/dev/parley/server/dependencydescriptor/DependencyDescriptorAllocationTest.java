package dev.parley.server.dependencydescriptor;

import dev.parley.rtc.rtp.RtpPacket;
import dev.parley.rtc.rtp.RtpWriter;
import dev.parley.rtc.rtp.TransportSequence;
import dev.parley.server.layers.Av1SvcStream;
import dev.parley.server.layers.SpatialLayerFilter;
import dev.parley.server.layers.TemporalLayerFilter;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The AV1 per-packet path does not allocate, keyframes (a structure read and swapped in) included:
 * reading the descriptor, both layer filters, writing the forwarded packet with the descriptor and
 * stamping a transport-wide sequence number into its block. Measured in bytes, not time.
 */
class DependencyDescriptorAllocationTest {
    private static final int ITERATIONS = 200_000;

    private static long allocatedBytes() {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return bean.getThreadAllocatedBytes(Thread.currentThread().threadId());
    }

    @Test
    void readingFilteringAndForwardingAv1PacketsDoesNotAllocate() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
                && bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled());
        Av1SvcStream stream = new Av1SvcStream(1, 1);
        List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            packets.addAll(stream.picture(i % 8 == 0));              // two keyframe pictures
        }
        DependencyDescriptor dd = new DependencyDescriptor();
        SpatialLayerFilter spatial = new SpatialLayerFilter();
        TemporalLayerFilter temporal = new TemporalLayerFilter();
        spatial.cap(0);
        RtpPacket p = new RtpPacket();
        byte[] out = new byte[1500];
        long checksum = 0;
        long before = 0;
        for (int round = 0; round < 2; round++) {
            if (round == 1) {
                before = allocatedBytes();
            }
            for (int i = 0; i < ITERATIONS; i++) {
                byte[] b = packets.get(i % packets.size());
                p.wrap(b, 0, b.length);
                if (!dd.parse(p, Av1SvcStream.DD_ID)) {
                    continue;
                }
                boolean keep = temporal.acceptSwitching(dd.temporalId(), dd.structureAttached(),
                        dd.switchesTo(dd.spatialId(), temporal.limit() + 1) ? temporal.limit() + 1 : -1, p.timestamp())
                        & spatial.accept(dd.spatialId(), dd.structureAttached(), p.timestamp());
                int at = p.findExtension(Av1SvcStream.DD_ID);
                int n = RtpWriter.writeForwarded(p, out, 0, 35, i & 0xFFFF, 1, spatial.endsForwardedPicture(
                        dd.endOfFrame(), dd.spatialId()), 4, at, p.lastExtensionLength());
                n = TransportSequence.stamp(out, 0, n, 3, i & 0xFFFF);
                checksum += n + (keep ? 1 : 0) + dd.frameNumber() + dd.fdiffCount();
            }
        }
        long allocated = allocatedBytes() - before;
        assertThat(checksum).isNotZero();
        assertThat(dd.unreadable()).isZero();
        assertThat(allocated).as("bytes allocated over %d packets", ITERATIONS).isLessThan(4096);
    }
}
