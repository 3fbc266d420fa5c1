package dev.parley.server.layers;

import dev.parley.rtc.rtp.RtpWriter;

import java.util.ArrayList;
import java.util.List;

/**
 * A hand-built VP9 {@code L3T3_KEY} stream as libwebrtc packetizes it (RFC 9628, non-flexible
 * mode): three spatial layers per picture (superframe), temporal pattern 0, 2, 1, 2; each layer
 * frame in two packets (B on the first, E on the last); the RTP marker only on the last packet
 * of the top layer. On a keyframe picture the base layer is a VP9 keyframe carrying the
 * scalability structure and the upper layers are predicted from the layer below (D, no P);
 * between keyframes every layer is predicted only from its own earlier frames (P, no D).
 */
public final class Vp9SvcStream {
    public static final int SPATIAL_LAYERS = 3;
    public static final int PACKETS_PER_LAYER = 2;
    public static final int PACKETS_PER_PICTURE = SPATIAL_LAYERS * PACKETS_PER_LAYER;
    public static final int[] TIDS = {0, 2, 1, 2};
    public static final long SSRC = 0x1234;
    public static final int PAYLOAD_TYPE = 98;

    private int seq;
    private int pictureId;
    private int pictures;
    private long timestamp;
    private int tl0PicIdx;
    private int layers = SPATIAL_LAYERS;

    public Vp9SvcStream(int firstSeq, int firstPictureId) {
        this.seq = firstSeq;
        this.pictureId = firstPictureId;
    }

    /** From the next picture on, only the lowest {@code n} spatial layers (an encoder short of bandwidth). */
    public void sendLayers(int n) {
        layers = n;
    }

    /** The packets of the next picture, in sending order; a keyframe picture restarts the temporal pattern. */
    public List<byte[]> picture(boolean keyframe) {
        if (keyframe) {
            pictures = 0;
        }
        int tid = TIDS[pictures % TIDS.length];
        if (tid == 0 && pictures > 0) {
            tl0PicIdx = (tl0PicIdx + 1) & 0xFF;
        }
        List<byte[]> out = new ArrayList<>(PACKETS_PER_PICTURE);
        for (int sid = 0; sid < layers; sid++) {
            for (int k = 0; k < PACKETS_PER_LAYER; k++) {
                boolean start = k == 0, end = k == PACKETS_PER_LAYER - 1;
                out.add(packet(seq, timestamp, pictureId, tid, sid, start, end, keyframe, end && sid == layers - 1));
                seq = (seq + 1) & 0xFFFF;
            }
        }
        pictures++;
        pictureId = (pictureId + 1) & 0x7FFF;
        timestamp += 3000;
        return out;
    }

    private byte[] packet(int seq, long ts, int pid, int tid, int sid, boolean start, boolean end,
                          boolean keyPicture, boolean marker) {
        byte[] p = new byte[400];
        RtpWriter.writeHeader(p, 0, marker, PAYLOAD_TYPE, seq, ts, SSRC);
        int d = 12;
        boolean interPicture = !keyPicture;
        boolean interLayer = keyPicture && sid > 0;
        boolean ss = keyPicture && sid == 0 && start;
        p[d++] = (byte) (0x80 | (interPicture ? 0x40 : 0) | 0x20 | (start ? 0x08 : 0) | (end ? 0x04 : 0)
                | (ss ? 0x02 : 0) | (sid == SPATIAL_LAYERS - 1 ? 0x01 : 0));      // I P L F=0 B E V Z
        p[d++] = (byte) (0x80 | pid >> 8);                                        // M, 15-bit picture id
        p[d++] = (byte) pid;
        p[d++] = (byte) (tid << 5 | (tid > 0 ? 0x10 : 0) | sid << 1 | (interLayer ? 1 : 0));   // TID U SID D
        p[d++] = (byte) tl0PicIdx;
        if (ss) {
            p[d++] = (byte) ((SPATIAL_LAYERS - 1) << 5 | 0x10);                   // N_S, Y: resolutions, no G
            for (int s = 0; s < SPATIAL_LAYERS; s++) {
                int w = 320 << s, h = 180 << s;
                p[d++] = (byte) (w >> 8);
                p[d++] = (byte) w;
                p[d++] = (byte) (h >> 8);
                p[d++] = (byte) h;
            }
        }
        if (start) {
            // VP9 frame header, profile 0: frame_marker, show_existing_frame 0, frame_type (0 = key), show_frame
            p[d] = (byte) (keyPicture && sid == 0 ? 0x82 : 0x86);
        }
        return p;
    }
}
