package dev.parley.rtc.srtp;

/**
 * The cryptographic transform of one profile for one of SRTP or SRTCP. Index bookkeeping and
 * replay protection live in {@link SrtpContext}; this only encrypts, decrypts and authenticates.
 * src and dst may be the same region (same array and offset) or disjoint.
 */
sealed interface PacketCipher permits CtrHmacCipher, GcmCipher, OpenSslGcmCipher {
    int tagLength();

    /** Protects an RTP packet with header length {@code hdrLen}; returns the output length. */
    int protectRtp(byte[] src, int srcOff, int hdrLen, int len, byte[] dst, int dstOff, int ssrc, int roc, int seq);

    /** Verifies and decrypts; {@code len} includes the tag. False if authentication fails. */
    boolean unprotectRtp(byte[] src, int srcOff, int hdrLen, int len, byte[] dst, int dstOff, int ssrc, int roc, int seq);

    /** Protects a compound RTCP packet with SRTCP index {@code index}; returns the output length. */
    int protectRtcp(byte[] src, int srcOff, int len, byte[] dst, int dstOff, int ssrc, int index);

    /** Offset, relative to the packet start, of the E||SRTCP-index word of a protected packet of {@code len}. */
    int rtcpIndexOffset(int len);

    /** Verifies and (when {@code encrypted}) decrypts; {@code len} is the protected length. */
    boolean unprotectRtcp(byte[] src, int srcOff, int len, byte[] dst, int dstOff, int ssrc, int index, boolean encrypted);

    static void writeInt(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }
}
