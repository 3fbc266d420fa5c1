package dev.parley.server.layers;

import dev.parley.rtc.rtp.RtpWriter;
import dev.parley.server.dependencydescriptor.DescriptorWriter;

import java.util.ArrayList;
import java.util.List;

/**
 * A hand-built AV1 {@code L3T3_KEY} stream as libwebrtc sends it with the dependency descriptor
 * negotiated: three spatial layers per picture (temporal unit, one RTP timestamp), temporal
 * pattern 0, 2, 1, 2; each layer frame in two packets; the RTP marker only on the last packet of
 * the top layer. Every packet carries a descriptor (extension {@value #DD_ID}, two-byte form);
 * the first packet of a keyframe picture attaches the {@link DescriptorWriter#l3t3Key()}
 * structure, and its payload starts with a sequence header and a KEY_FRAME frame OBU (what
 * {@code KeyframeDetector} looks for).
 */
public final class Av1SvcStream {
    public static final int SPATIAL_LAYERS = 3;
    public static final int PACKETS_PER_LAYER = 2;
    public static final int PACKETS_PER_PICTURE = SPATIAL_LAYERS * PACKETS_PER_LAYER;
    public static final int[] TIDS = {0, 2, 1, 2};
    public static final long SSRC = 0x2345;
    public static final int PAYLOAD_TYPE = 35;
    public static final int DD_ID = 11;
    private static final DescriptorWriter.Structure STRUCTURE = DescriptorWriter.l3t3Key();

    private int seq;
    private int frameNumber;
    private int pictures;
    private long timestamp;

    public Av1SvcStream(int firstSeq, int firstFrameNumber) {
        this.seq = firstSeq;
        this.frameNumber = firstFrameNumber;
    }

    /** The packets of the next picture, in sending order; a keyframe picture restarts the temporal pattern. */
    public List<byte[]> picture(boolean keyframe) {
        if (keyframe) {
            pictures = 0;
        }
        int tid = TIDS[pictures % TIDS.length];
        List<byte[]> out = new ArrayList<>(PACKETS_PER_PICTURE);
        for (int sid = 0; sid < SPATIAL_LAYERS; sid++) {
            int template = 4 * sid + (keyframe ? 0 : 1 + tid);
            for (int k = 0; k < PACKETS_PER_LAYER; k++) {
                boolean start = k == 0, end = k == PACKETS_PER_LAYER - 1;
                byte[] dd = keyframe && sid == 0 && start
                        ? DescriptorWriter.withStructure(STRUCTURE, template, end, frameNumber)
                        : DescriptorWriter.mandatory(start, end, (STRUCTURE.idOffset() + template) % 64, frameNumber);
                out.add(packet(dd, keyframe && sid == 0 && start, end && sid == SPATIAL_LAYERS - 1));
                seq = (seq + 1) & 0xFFFF;
            }
            frameNumber = (frameNumber + 1) & 0xFFFF;
        }
        pictures++;
        timestamp += 3000;
        return out;
    }

    private byte[] packet(byte[] dd, boolean keyframeStart, boolean marker) {
        // 400 bytes as Vp9SvcStream: the test ladders need the rate
        return packet(400, PAYLOAD_TYPE, seq, timestamp, SSRC, DD_ID, dd, keyframeStart, marker);
    }

    /**
     * An AV1 packet of {@code size} bytes with the descriptor {@code dd} as extension {@code ddId}
     * (two-byte form); its payload starts a keyframe (a sequence header and a KEY_FRAME frame OBU)
     * when {@code keyframeStart}, else holds an INTER_FRAME frame OBU.
     */
    public static byte[] packet(int size, int payloadType, int seq, long timestamp, long ssrc, int ddId, byte[] dd,
                                boolean keyframeStart, boolean marker) {
        int block = 4 + (2 + dd.length + 3) / 4 * 4;
        byte[] p = new byte[size];
        RtpWriter.writeHeader(p, 0, marker, payloadType, seq, timestamp, ssrc);
        p[0] |= 0x10;
        p[12] = 0x10;                                       // two-byte form
        p[15] = (byte) ((block - 4) / 4);
        p[16] = (byte) ddId;
        p[17] = (byte) dd.length;
        System.arraycopy(dd, 0, p, 18, dd.length);
        int a = 12 + block;
        if (keyframeStart) {
            // Z=0 Y=0 W=2 N=1; a 2-byte sequence header OBU, then a frame OBU: KEY_FRAME, shown
            byte[] payload = {0x28, 0x02, 0x08, 0x00, 0x30, 0x00};
            System.arraycopy(payload, 0, p, a, payload.length);
        } else {
            p[a] = 0x10;                                    // W=1: one OBU
            p[a + 1] = 0x30;                                // frame OBU
            p[a + 2] = 0x20;                                // INTER_FRAME
        }
        return p;
    }
}
