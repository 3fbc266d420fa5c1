package dev.parley.server.sfu;

import dev.parley.rtc.rtp.RtpPacket;
import dev.parley.rtc.rtp.RtpWriter;
import dev.parley.rtc.rtp.TransportSequence;
import dev.parley.server.dependencydescriptor.DependencyDescriptor;
import dev.parley.server.dependencydescriptor.FrameNumbering;
import dev.parley.server.estimator.LossBasedEstimator;
import dev.parley.server.estimator.RateMeter;
import dev.parley.server.jitter.Jitter;
import dev.parley.server.layers.Av1SvcStream;
import dev.parley.server.layers.SpatialLayerFilter;
import dev.parley.server.layers.TemporalLayerFilter;
import dev.parley.server.nack.NackGenerator;
import dev.parley.server.packetcache.PacketCache;
import dev.parley.server.seqmap.SeqMap;
import dev.parley.server.transportcc.TransportCcFeedback;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Per-packet operations of the SFU building blocks must not allocate (measured in bytes, not time). */
class SfuAllocationTest {
    private static final int ITERATIONS = 200_000;

    /** Runs {@code perPacket} for packets 0 .. ITERATIONS-1 twice (the first round warms up); bytes allocated in the second. */
    private static long allocatedInSecondRound(java.util.function.IntConsumer perPacket) {
        for (int i = 0; i < ITERATIONS; i++) {
            perPacket.accept(i);
        }
        long before = allocatedBytes();
        for (int i = 0; i < ITERATIONS; i++) {
            perPacket.accept(i);
        }
        return allocatedBytes() - before;
    }

    private static long allocatedBytes() {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return bean.getThreadAllocatedBytes(Thread.currentThread().threadId());
    }

    @Test
    void perPacketOperationsDoNotAllocate() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
                && bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled());
        PacketCache cache = new PacketCache(512);
        SeqMap map = new SeqMap();
        NackGenerator nacks = new NackGenerator();
        LossBasedEstimator estimator = new LossBasedEstimator();
        RateMeter rate = new RateMeter(1000);
        Jitter jitter = new Jitter(90000);
        byte[] packet = new byte[1200];
        byte[] out = new byte[1504];
        int[] nackOut = new int[32];

        long checksum = 0;
        long nacksSent = 0;
        long before = 0;
        int seq = 0;
        for (int round = 0; round < 2; round++) {
            if (round == 1) {
                before = allocatedBytes();
            }
            for (int i = 0; i < ITERATIONS; i++, seq = (seq + 1) & 0xFFFF) {
                long now = i;
                if (i % 50 == 7) {
                    continue; // lose one packet in 50: nothing sees it, so the generator must NACK it
                }
                packet[0] = (byte) seq;
                checksum += cache.store(seq, 3000L * i, i % 30 == 0, i % 3 == 0, packet, 0, packet.length);
                checksum += cache.get((seq - 5) & 0xFFFF, out, 0);
                nacks.onPacket(seq, now);
                int n = nacks.collect(now, nackOut);
                checksum += n;
                if (round == 1) {
                    nacksSent += n;
                }
                if (i % 4 == 1 && map.drop(seq, -1)) {
                    continue;
                }
                checksum += map.map(seq, -1) + map.reverse(seq);
                rate.add(packet.length, now);
                jitter.onPacket(3000L * i, now * 1_000_000L);
                if (i % 100 == 0) {
                    estimator.onReceiverReport(i % 40, rate.bitsPerSecond(now), now);
                    checksum += estimator.estimate(now) + cache.intervalFractionLost();
                    cache.resetInterval();
                }
            }
        }
        long allocated = allocatedBytes() - before;
        assertThat(nacksSent).as("NACKs for the lost packets").isGreaterThanOrEqualTo(ITERATIONS / 50);
        assertThat(checksum + jitter.jitter()).isNotZero();
        assertThat(allocated).as("bytes allocated over %d packets", ITERATIONS).isLessThan(4096);
    }

    /** Issue #14: transport-cc arrivals and feedback, RTX wrapping and unwrapping, per packet. */
    @Test
    void transportCcFeedbackAndRtxDoNotAllocate() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
                && bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled());
        TransportCcFeedback feedback = new TransportCcFeedback();
        dev.parley.rtc.rtp.RtpPacket view = new dev.parley.rtc.rtp.RtpPacket();
        dev.parley.rtc.rtp.RtpPacket rtxView = new dev.parley.rtc.rtp.RtpPacket();
        byte[] packet = new byte[1200];
        byte[] rtx = new byte[1504];
        byte[] restored = new byte[1504];
        byte[] rtcp = new byte[1500];
        long checksum = 0;
        long before = 0;
        for (int round = 0; round < 2; round++) {
            if (round == 1) {
                before = allocatedBytes();
            }
            for (int i = 0; i < ITERATIONS; i++) {
                long now = i * 1_000_000L;                           // 1000 packets a second
                if (i % 50 != 7) {
                    feedback.onPacket(i & 0xFFFF, now);
                }
                if (feedback.due(now)) {
                    for (int n; (n = feedback.write(rtcp, 0, 1, 2, now)) > 0; ) {
                        checksum += n;
                    }
                }
                dev.parley.rtc.rtp.RtpWriter.writeHeader(packet, 0, false, 96, i & 0xFFFF, i, 7);
                view.wrap(packet, 0, packet.length);
                int w = dev.parley.rtc.rtp.Rtx.wrap(view, rtx, 0, 97, i, 8);
                rtxView.wrap(rtx, 0, w);
                checksum += dev.parley.rtc.rtp.Rtx.unwrap(rtxView, restored, 0, 96, 7);
            }
        }
        long allocated = allocatedBytes() - before;
        assertThat(checksum).isNotZero();
        assertThat(allocated).as("bytes allocated over %d packets", ITERATIONS).isLessThan(4096);
    }

    /**
     * Issue #14, send side: numbering every packet to a receiver, reading its transport feedback
     * and running the GCC chain on it (delay groups, trendline, detector, AIMD, acknowledged rate).
     */
    @Test
    void sendSideEstimationDoesNotAllocate() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
                && bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled());
        ReceiverBandwidth bandwidth = new ReceiverBandwidth();
        bandwidth.setExtensionId(3);
        long[] sentBytes = new long[1];
        MediaTransport sink = new DownStreamTest.SignallingTransport() {
            @Override
            public void sendRtp(byte[] buf, int off, int len) {
                sentBytes[0] += len;
            }
        };
        dev.parley.rtc.rtcp.TransportFeedbackWriter writer = new dev.parley.rtc.rtcp.TransportFeedbackWriter(256);
        long[] arrivals = new long[0x10000];
        byte[] packet = new byte[1208];
        byte[] rtcp = new byte[1500];
        int reported = 0;
        int seq = 0;
        long before = 0;
        for (int round = 0; round < 2; round++) {
            if (round == 1) {
                before = allocatedBytes();
            }
            for (int i = 0; i < ITERATIONS; i++, seq = (seq + 1) & 0xFFFF) {
                dev.parley.rtc.rtp.RtpWriter.writeHeader(packet, 0, false, 96, i & 0xFFFF, i, 7);
                bandwidth.send(sink, packet, 0, 1200);
                // a link that delays every 10th packet a little more, loses one in 50
                arrivals[seq] = i % 50 == 7 ? dev.parley.rtc.rtcp.TransportFeedbackWriter.NOT_RECEIVED
                        : 1_000L * i + (i % 10) * 300L;
                if (i % 50 == 49) {                              // feedback every 50 packets
                    int n = writer.write(rtcp, 0, rtcp.length, 1, 2, reported, arrivals, reported,
                            Math.min(50, 0x10000 - reported), i);
                    bandwidth.onFeedback(rtcp, 0, n, 1_000_000L * i);
                    reported = (reported + writer.covered()) & 0xFFFF;
                    if (reported != ((seq + 1) & 0xFFFF)) {
                        reported = (seq + 1) & 0xFFFF;           // the rest was lost
                    }
                    bandwidth.onReceiverReport(i % 7, 1_000_000L * i);
                }
            }
        }
        long allocated = allocatedBytes() - before;
        assertThat(sentBytes[0]).as("numbered packets grew by their extension").isEqualTo(2L * ITERATIONS * 1208);
        assertThat(bandwidth.estimate()).isPositive();
        assertThat(allocated).as("bytes allocated over %d packets", ITERATIONS).isLessThan(4096);
    }

    /**
     * The AV1 path, keyframes (a structure read and swapped in) included: reading the dependency
     * descriptor, both layer filters, writing the forwarded packet with the descriptor and
     * stamping a transport-wide sequence number into its block.
     */
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
        long[] checksum = {0};
        FrameNumbering numbering = new FrameNumbering();
        int[] shift = {0};
        long allocated = allocatedInSecondRound(i -> {
            byte[] b = packets.get(i % packets.size());
            p.wrap(b, 0, b.length);
            if (i % packets.size() == 0) {
                // a simulcast switch at each keyframe: the frame numbers are shifted from then on
                shift[0] = numbering.shiftFor(FrameNumbering.frameNumber(b, p.findExtension(Av1SvcStream.DD_ID),
                        p.lastExtensionLength()));
            }
            if (!dd.parse(p, Av1SvcStream.DD_ID)) {
                return;
            }
            int next = temporal.limit() + 1;
            boolean keep = temporal.acceptSwitching(dd.temporalId(), dd.structureAttached(),
                    dd.switchesTo(dd.spatialId(), next) ? next : -1, p.timestamp())
                    & spatial.accept(dd.spatialId(), dd.structureAttached(), p.timestamp());
            int at = p.findExtension(Av1SvcStream.DD_ID);
            int n = RtpWriter.writeForwarded(p, out, 0, 35, i & 0xFFFF, 1,
                    spatial.endsForwardedPicture(dd.endOfFrame(), dd.spatialId()), 4, at, p.lastExtensionLength());
            int ddOut = RtpWriter.forwardedElementOffset(4, p.lastExtensionLength());
            FrameNumbering.shift(out, ddOut, p.lastExtensionLength(), shift[0]);
            numbering.sent(FrameNumbering.frameNumber(out, ddOut, p.lastExtensionLength()));
            n = TransportSequence.stamp(out, 0, n, 3, i & 0xFFFF);
            checksum[0] += n + (keep ? 1 : 0) + dd.frameNumber() + dd.fdiffCount();
        });
        assertThat(checksum[0]).isNotZero();
        assertThat(dd.unreadable()).isZero();
        assertThat(allocated).as("bytes allocated over %d packets", ITERATIONS).isLessThan(4096);
    }
}
