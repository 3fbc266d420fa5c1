package dev.parley.rtc.srtp;

/**
 * The AES-GCM IV of SRTP and SRTCP (RFC 7714 §8.1, §9.1): the 12-byte salt XOR
 * (00 00 || SSRC || 48-bit index), where the index is ROC || SEQ for RTP and the 31-bit SRTCP
 * index for RTCP. Shared by both GCM implementations, JDK and OpenSSL.
 */
final class GcmIv {
    private GcmIv() {
    }

    /** Writes the IV into {@code iv[0..12]}. */
    static void write(byte[] salt, int ssrc, long index, byte[] iv) {
        System.arraycopy(salt, 0, iv, 0, 12);
        iv[2] ^= (byte) (ssrc >>> 24);
        iv[3] ^= (byte) (ssrc >>> 16);
        iv[4] ^= (byte) (ssrc >>> 8);
        iv[5] ^= (byte) ssrc;
        for (int i = 0; i < 6; i++) {
            iv[6 + i] ^= (byte) (index >>> (40 - 8 * i));
        }
    }
}
