package dev.parley.rtc.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The media hot path must not allocate per packet (ARCHITECTURE: 0 bytes per forwarded packet). */
class SrtpAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static long allocatedBytesPerPacket(SrtpProfile p, int packets) {
        return allocatedBytesPerPacket(SrtpContextTest.pair(p), packets);
    }

    /**
     * Sender c[0], receiver c[1]: the fewest bytes per packet over rounds of {@code packets}, stopping
     * at the first round under 8. Steady state is what counts: until C2 has compiled the OpenSSL
     * downcalls, their heap segments are real objects (measured: about 450 B per protect for the first
     * 15,000-35,000 packets on a loaded machine, then 0).
     */
    static long allocatedBytesPerPacket(SrtpContext[] c, int packets) {
        byte[] plain = new byte[1500];
        byte[] wire = new byte[1500];
        byte[] out = new byte[1500];
        int seq = 0;
        long tid = Thread.currentThread().threadId();
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 30 && best >= 8; round++) {
            long before = THREADS.getThreadAllocatedBytes(tid);
            for (int i = 0; i < packets; i++) {
                int len = SrtpContextTest.rtp(plain, 0, seq++ & 0xFFFF, 1100, false);
                int n = c[0].protectRtp(plain, 0, len, wire, 0);
                if (c[1].unprotectRtp(wire, 0, n, out, 0) != len) throw new AssertionError("round trip failed");
            }
            best = Math.min(best, (THREADS.getThreadAllocatedBytes(tid) - before) / packets);
        }
        return best;
    }

    @Test
    void aesCm_protectAndUnprotect_allocateNothingPerPacket() {
        assertThat(allocatedBytesPerPacket(SrtpProfile.AES_CM_128_HMAC_SHA1_80, 10_000)).isLessThan(8);
    }

    /** OpenSSL's GCM (used whenever libcrypto loads) works on the packet arrays in place. */
    @Test
    void gcm_onOpenSsl_protectAndUnprotect_allocateNothingPerPacket() {
        org.junit.jupiter.api.Assumptions.assumeTrue(GcmChoice.NATIVE, LibCrypto.UNAVAILABLE);
        assertThat(allocatedBytesPerPacket(SrtpProfile.AEAD_AES_128_GCM, 10_000)).isLessThan(8);
    }

    /**
     * The JDK's GCM (the fallback) must be re-initialised for every IV and allocates about 1 KB per
     * init+doFinal (measured on JDK 25, independent of packet size): this only guards against
     * regressions beyond the JDK's share.
     */
    @Test
    void gcm_onTheJdk_allocationPerPacketIsOnlyTheJdksShare() {
        SrtpContext[] c = {
            new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, new GcmCipher(SrtpVectorsTest.GCM_KEYS), new GcmCipher(SrtpVectorsTest.GCM_KEYS)),
            new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, new GcmCipher(SrtpVectorsTest.GCM_KEYS), new GcmCipher(SrtpVectorsTest.GCM_KEYS)),
        };
        assertThat(allocatedBytesPerPacket(c, 10_000)).isLessThan(4096);
    }
}
