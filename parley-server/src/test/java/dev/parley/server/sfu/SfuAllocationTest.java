package dev.parley.server.sfu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Per-packet operations of the SFU building blocks must not allocate (measured in bytes, not time). */
class SfuAllocationTest {
    private static final int ITERATIONS = 200_000;

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
}
