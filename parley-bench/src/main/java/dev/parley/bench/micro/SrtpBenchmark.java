package dev.parley.bench.micro;

import dev.parley.bench.media.RtpHeader;
import dev.parley.rtc.srtp.SrtpContext;
import dev.parley.rtc.srtp.SrtpProfile;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * SRTP protect and unprotect of one RTP packet per operation, per profile and size (a video
 * packet of 1200 bytes, an Opus packet of 100). Unprotect reads from a ring of pre-protected
 * packets with increasing sequence numbers, into a separate buffer, and starts a fresh receiver
 * context when the ring wraps so the replay window never rejects.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SrtpBenchmark {
    private static final int RING = 2048;

    @Param({"AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM"})
    public SrtpProfile profile;

    @Param({"1200", "100"})
    public int size;

    private byte[] key, salt;
    private SrtpContext sender;
    private SrtpContext receiver;
    private final byte[] plain = new byte[1600];
    private final byte[] work = new byte[1600];
    private final byte[] out = new byte[1600];
    private byte[][] ring;
    private int[] ringLengths;
    private int next;
    private int seq;

    @Setup
    public void setUp() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        key = new byte[profile.keyLength()];
        salt = new byte[profile.saltLength()];
        r.nextBytes(key);
        r.nextBytes(salt);
        sender = new SrtpContext(profile, key, salt);
        receiver = new SrtpContext(profile, key, salt);
        r.nextBytes(plain);
        SrtpContext ringSender = new SrtpContext(profile, key, salt);
        ring = new byte[RING][];
        ringLengths = new int[RING];
        for (int i = 0; i < RING; i++) {
            byte[] b = new byte[1600];
            int h = RtpHeader.write(b, false, 96, i, i * 3000L, 0x1234_5678L, 0, null, 0, null);
            System.arraycopy(plain, h, b, h, size - h);
            ringLengths[i] = ringSender.protectRtp(b, 0, size);
            ring[i] = b;
        }
    }

    @Benchmark
    public int protect() {
        seq = (seq + 1) & 0xFFFF;
        int h = RtpHeader.write(work, false, 96, seq, seq * 3000L, 0x1234_5678L, 0, null, 0, null);
        System.arraycopy(plain, h, work, h, size - h);
        return sender.protectRtp(work, 0, size);
    }

    @Benchmark
    public int unprotect() {
        if (next == RING) {
            next = 0;
            receiver = new SrtpContext(profile, key, salt);
        }
        int i = next++;
        return receiver.unprotectRtp(ring[i], 0, ringLengths[i], out, 0);
    }
}
