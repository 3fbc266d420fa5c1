package dev.parley.rtc.srtp;

/**
 * The SRTP key derivation function (RFC 3711 §4.3) with key_derivation_rate 0, the only rate DTLS-SRTP
 * uses. RFC 7714's GCM profiles use the same AES-CM PRF with their 96-bit salt left-aligned.
 */
public final class SrtpKdf {
    private SrtpKdf() {}

    public static final int LABEL_RTP_ENCRYPTION = 0;
    public static final int LABEL_RTP_AUTH = 1;
    public static final int LABEL_RTP_SALT = 2;
    public static final int LABEL_RTCP_ENCRYPTION = 3;
    public static final int LABEL_RTCP_AUTH = 4;
    public static final int LABEL_RTCP_SALT = 5;

    /** Derives {@code length} bytes for {@code label} from the master key and salt. */
    public static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
        if (masterSalt.length > 14) throw new IllegalArgumentException("master salt longer than 112 bits");
        byte[] iv = new byte[16];
        System.arraycopy(masterSalt, 0, iv, 0, masterSalt.length);
        iv[7] ^= (byte) label; // key_id = label || r with r = 0, XORed into the salt at bit 48
        byte[] out = new byte[length];
        new AesCtr(masterKey).keystream(iv, out, 0, length);
        return out;
    }
}
