package dev.parley.rtc.transport;

/** RFC 7983 demultiplexing by first byte, then RFC 5761 RTP/RTCP by second byte. */
public final class PacketDemux {
    private PacketDemux() {}

    public static final int UNKNOWN = 0;
    public static final int STUN = 1;
    public static final int DTLS = 2;
    public static final int RTP = 3;
    public static final int RTCP = 4;

    public static int classify(byte[] b, int off, int len) {
        if (len < 1) return UNKNOWN;
        int first = b[off] & 0xFF;
        if (first <= 3) return STUN;
        if (first >= 20 && first <= 63) return DTLS;
        if (first >= 128 && first <= 191) {
            if (len < 2) return UNKNOWN;
            int second = b[off + 1] & 0xFF;
            return second >= 192 && second <= 223 ? RTCP : RTP;
        }
        return UNKNOWN; // 4-19 ZRTP, 64-79 TURN channels, 192-255: not ours
    }
}
