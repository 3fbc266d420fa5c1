package dev.parley.server.sfu;

import dev.parley.rtc.rtp.RtpPacket;
import dev.parley.rtc.rtp.RtpWriter;

import java.util.concurrent.ThreadLocalRandom;

/**
 * One forwarded track of a receiver: our own SSRC, the fixed payload type (MD3, MD17), and a
 * sequence-number offset so that the receiver's numbering is its own. Runs on the media loop
 * of the receiver's transport, which is the loop of the presenter's too (one loop for now).
 */
public final class DownTrack {
    private final DownStream stream;
    private final UpTrack up;
    private final long ssrc;
    private final int payloadType;
    private final byte[] out = new byte[PacketCache.SLOT_SIZE];
    private final byte[] scratch = new byte[PacketCache.SLOT_SIZE];
    private final RtpPacket resent = new RtpPacket();
    private final LossBasedEstimator estimator;
    private final RateMeter rate = new RateMeter(1000);

    private boolean started;
    private int seqOffset;
    private long packetsSent;
    private long octetsSent;
    private long lastRtpTimestamp;

    DownTrack(DownStream stream, UpTrack up, long ssrc, long nowNanos) {
        this.stream = stream;
        this.up = up;
        this.ssrc = ssrc;
        this.payloadType = up.section().codec().payloadType();
        this.estimator = new LossBasedEstimator();
    }

    public long ssrc() {
        return ssrc;
    }

    public UpTrack up() {
        return up;
    }

    /**
     * Forwards one packet. Video starts at a keyframe so that the receiver never has to
     * decode from the middle of a group of pictures; the offset keeps the first forwarded
     * packet's number arbitrary and the rest contiguous with the presenter's.
     */
    void forward(RtpPacket p, boolean keyframe, long nowNanos) {
        if (!started) {
            if (up.kind().equals("video") && !keyframe) {
                return;
            }
            started = true;
            seqOffset = ThreadLocalRandom.current().nextInt(0x10000) - p.sequenceNumber();
        }
        int n = RtpWriter.writeForwarded(p, out, 0, payloadType, (p.sequenceNumber() + seqOffset) & 0xFFFF, ssrc, false);
        if (n < 0) {
            return;
        }
        packetsSent++;
        octetsSent += p.payloadLength();
        rate.add(n, nowNanos / 1_000_000);
        lastRtpTimestamp = p.timestamp();
        stream.transport().sendRtp(out, 0, n);
    }

    /** A receiver's NACK for our sequence number {@code seq} (MD13). */
    void nacked(int seq) {
        if (!started) {
            return;
        }
        int upSeq = (seq - seqOffset) & 0xFFFF;
        int n = up.cached(upSeq, scratch);
        if (n > 0 && resent.wrap(scratch, 0, n)) {
            int w = RtpWriter.writeForwarded(resent, out, 0, payloadType, seq, ssrc, false);
            if (w > 0) {
                stream.transport().sendRtp(out, 0, w);
            }
        } else {
            up.nackUpstream(upSeq);
        }
    }

    void receiverReport(int fractionLost, long nowNanos) {
        estimator.onReceiverReport(fractionLost, rate.bitsPerSecond(nowNanos / 1_000_000), nowNanos / 1_000_000);
    }

    void remb(long bitrate) {
        estimator.onRemb(bitrate, System.nanoTime() / 1_000_000);
    }

    /** min(loss-based estimate, REMB) (MD8). */
    long estimate() {
        return estimator.estimate(System.nanoTime() / 1_000_000);
    }

    boolean started() {
        return started;
    }

    long packetsSent() {
        return packetsSent;
    }

    long octetsSent() {
        return octetsSent;
    }

    long lastRtpTimestamp() {
        return lastRtpTimestamp;
    }
}
