package dev.parley.bench.media;

/**
 * Synthetic VP8 video for one SSRC: frames at a fixed rate whose sizes average the target bitrate,
 * with a larger keyframe every few seconds or on demand (PLI). Each frame is split into RTP
 * packets with a VP8 payload descriptor (RFC 7741: X, S and partition index, 15-bit PictureID);
 * the first packet of a keyframe carries a VP8 frame header with P=0 and the keyframe start code,
 * so the server's keyframe detector sees it. Not thread-safe: one sending thread per source.
 */
public final class Vp8Source {
    public static final int MAX_PAYLOAD = 1100;
    private static final int DESCRIPTOR = 4;       // X|S byte, I byte, 2-byte PictureID
    private static final int KEYFRAME_FACTOR = 4;  // a keyframe is this many average frames

    private final int payloadType;
    private final long ssrc;
    private final int fps;
    private final int keyframeIntervalFrames;
    private final int averageFrameBytes;
    private final int deltaFrameBytes;
    private final int midId, ridId;
    private final byte[] mid, rid;
    private int seq;
    private long timestamp;
    private int pictureId;
    private int frameNumber;
    private volatile boolean keyframeRequested = true;

    public Vp8Source(int payloadType, long ssrc, int bitrate, int fps, double keyframeIntervalSeconds,
            int midId, String mid, int ridId, String rid, int firstSeq) {
        this.payloadType = payloadType;
        this.ssrc = ssrc;
        this.fps = fps;
        this.keyframeIntervalFrames = Math.max(1, (int) Math.round(keyframeIntervalSeconds * fps));
        this.averageFrameBytes = Math.max(64, bitrate / 8 / fps);
        int k = keyframeIntervalFrames;
        this.deltaFrameBytes = k <= KEYFRAME_FACTOR ? averageFrameBytes
                : Math.max(64, (k * averageFrameBytes - KEYFRAME_FACTOR * averageFrameBytes) / (k - 1));
        this.midId = midId;
        this.ridId = ridId;
        this.mid = mid == null ? null : mid.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.rid = rid == null ? null : rid.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.seq = firstSeq & 0xFFFF;
        this.pictureId = firstSeq & 0x7FFF;
    }

    public long ssrc() {
        return ssrc;
    }

    /** A PLI or FIR: the next frame is a keyframe. */
    public void requestKeyframe() {
        keyframeRequested = true;
    }

    public long timestamp() {
        return timestamp;
    }

    /**
     * Produces the next frame's packets into {@code buf} (reused between packets), calling
     * {@code sink} with the length of each complete packet. Returns the number of packets.
     */
    public int nextFrame(byte[] buf, long sendNanos, PacketSink sink) {
        boolean key = keyframeRequested || frameNumber % keyframeIntervalFrames == 0;
        keyframeRequested = false;
        int frameBytes = key ? KEYFRAME_FACTOR * averageFrameBytes : deltaFrameBytes;
        int perPacket = MAX_PAYLOAD - DESCRIPTOR;
        int packets = Math.max(1, (frameBytes + perPacket - 1) / perPacket);
        int remaining = frameBytes;
        for (int i = 0; i < packets; i++) {
            int chunk = Math.max(BenchStamp.LENGTH + 10, Math.min(perPacket, remaining));
            remaining -= chunk;
            boolean last = i == packets - 1;
            int h = RtpHeader.write(buf, last, payloadType, seq, timestamp, ssrc, midId, mid, ridId, rid);
            int p = h;
            buf[p++] = (byte) (0x80 | (i == 0 ? 0x10 : 0));     // X, S on the first packet, partition 0
            buf[p++] = (byte) 0x80;                             // I: PictureID present
            buf[p++] = (byte) (0x80 | (pictureId >> 8));        // M: 15-bit PictureID
            buf[p++] = (byte) pictureId;
            int payloadStart = p;
            fill(buf, p, chunk, frameNumber + i);
            if (i == 0) {
                frameHeader(buf, payloadStart, key, frameBytes);
            }
            p += chunk;
            BenchStamp.write(buf, p, sendNanos);
            sink.packet(buf, p, seq, key, i == 0);
            seq = (seq + 1) & 0xFFFF;
        }
        frameNumber++;
        pictureId = (pictureId + 1) & 0x7FFF;
        timestamp = (timestamp + 90_000 / fps) & 0xFFFFFFFFL;
        return packets;
    }

    /** RFC 6386 §9.1: 3-byte frame tag (P bit 0 for keyframes), then the start code and size for keyframes. */
    private static void frameHeader(byte[] b, int o, boolean key, int size) {
        int tag = (key ? 0 : 1) | (1 << 4) | ((size & 0x7FFFF) << 5);   // show_frame, first partition size
        b[o] = (byte) tag;
        b[o + 1] = (byte) (tag >> 8);
        b[o + 2] = (byte) (tag >> 16);
        if (key) {
            b[o + 3] = (byte) 0x9d;
            b[o + 4] = 0x01;
            b[o + 5] = 0x2a;
            b[o + 6] = (byte) (640 & 0xFF);
            b[o + 7] = (byte) (640 >> 8);
            b[o + 8] = (byte) (480 & 0xFF);
            b[o + 9] = (byte) (480 >> 8);
        }
    }

    private static void fill(byte[] b, int o, int n, int seed) {
        for (int i = 0; i < n; i++) {
            b[o + i] = (byte) (seed * 31 + i);
        }
    }

    /** Receives each packet as it is built. */
    @FunctionalInterface
    public interface PacketSink {
        void packet(byte[] buf, int len, int seq, boolean keyframe, boolean frameStart);
    }
}
