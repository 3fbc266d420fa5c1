package dev.parley.bench.media;

/**
 * Synthetic Opus audio: one 20 ms packet (960 samples at 48 kHz) per call, of a fixed size
 * (about 32 kbit/s by default), each ending with a {@link BenchStamp}.
 */
public final class OpusSource {
    private final int payloadType;
    private final long ssrc;
    private final int payloadBytes;
    private int seq;
    private long timestamp;

    public OpusSource(int payloadType, long ssrc, int payloadBytes, int firstSeq) {
        this.payloadType = payloadType;
        this.ssrc = ssrc;
        this.payloadBytes = Math.max(BenchStamp.LENGTH + 4, payloadBytes);
        this.seq = firstSeq & 0xFFFF;
    }

    public long ssrc() {
        return ssrc;
    }

    public long timestamp() {
        return timestamp;
    }

    /** Writes the next packet into {@code buf}; returns its length. */
    public int next(byte[] buf, long sendNanos) {
        int h = RtpHeader.write(buf, false, payloadType, seq, timestamp, ssrc, 0, null, 0, null);
        buf[h] = (byte) 0x78; // TOC: SILK/CELT hybrid-ish config, mono, one frame
        for (int i = 1; i < payloadBytes; i++) {
            buf[h + i] = (byte) (seq + i);
        }
        int end = h + payloadBytes;
        BenchStamp.write(buf, end, sendNanos);
        seq = (seq + 1) & 0xFFFF;
        timestamp = (timestamp + 960) & 0xFFFFFFFFL;
        return end;
    }

    public int lastSeq() {
        return (seq - 1) & 0xFFFF;
    }
}
