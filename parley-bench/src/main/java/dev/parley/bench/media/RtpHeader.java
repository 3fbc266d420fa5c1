package dev.parley.bench.media;

/**
 * Writes the RTP header of a synthetic packet (RFC 3550), optionally with the one-byte header
 * extensions (RFC 8285) that carry the mid and rid of a simulcast layer, as browsers send them.
 */
public final class RtpHeader {
    private RtpHeader() {
    }

    /**
     * Writes the header at {@code b[0]}; returns its length. {@code mid}/{@code rid} are written as
     * extensions {@code midId}/{@code ridId} when non-null.
     */
    public static int write(byte[] b, boolean marker, int payloadType, int seq, long timestamp, long ssrc,
            int midId, byte[] mid, int ridId, byte[] rid) {
        boolean ext = mid != null || rid != null;
        b[0] = (byte) (ext ? 0x90 : 0x80);
        b[1] = (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F));
        b[2] = (byte) (seq >> 8);
        b[3] = (byte) seq;
        BenchStamp.putInt(b, 4, (int) timestamp);
        BenchStamp.putInt(b, 8, (int) ssrc);
        if (!ext) {
            return 12;
        }
        int p = 16;
        if (mid != null) {
            p = element(b, p, midId, mid);
        }
        if (rid != null) {
            p = element(b, p, ridId, rid);
        }
        while ((p - 16) % 4 != 0) {
            b[p++] = 0;
        }
        b[12] = (byte) 0xBE;
        b[13] = (byte) 0xDE;
        int words = (p - 16) / 4;
        b[14] = (byte) (words >> 8);
        b[15] = (byte) words;
        return p;
    }

    private static int element(byte[] b, int p, int id, byte[] value) {
        b[p++] = (byte) ((id << 4) | (value.length - 1));
        System.arraycopy(value, 0, b, p, value.length);
        return p + value.length;
    }
}
