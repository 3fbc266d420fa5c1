package dev.parley.rtc.srtp;

/** The SRTP protection profiles Parley negotiates (RFC 5764 §4.1.2, RFC 7714 §14.2). */
public enum SrtpProfile {
    AES_CM_128_HMAC_SHA1_80(0x0001, 16, 14, 10),
    AEAD_AES_128_GCM(0x0007, 16, 12, 16);

    private final int id;
    private final int keyLength;
    private final int saltLength;
    private final int tagLength;

    SrtpProfile(int id, int keyLength, int saltLength, int tagLength) {
        this.id = id;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.tagLength = tagLength;
    }

    /** The DTLS-SRTP protection profile id (the use_srtp extension value). */
    public int id() { return id; }
    public int keyLength() { return keyLength; }
    public int saltLength() { return saltLength; }
    /** Authentication tag length for both SRTP and SRTCP. */
    public int tagLength() { return tagLength; }

    /** Bytes added to an RTP packet by protection. */
    public int rtpOverhead() { return tagLength; }
    /** Bytes added to an RTCP packet by protection (tag plus the 4-byte E||SRTCP index). */
    public int rtcpOverhead() { return tagLength + 4; }

    /**
     * True when AEAD_AES_128_GCM runs on OpenSSL's libcrypto here (see {@code GcmChoice}): then it
     * allocates nothing per packet and costs about a third of AES-CM + HMAC-SHA1, so a server should
     * prefer it. False when it falls back to the JDK's GCM (about 1 KB of garbage per packet).
     */
    public static boolean gcmIsNative() {
        return GcmChoice.NATIVE;
    }

    /** Null for an unknown id. */
    public static SrtpProfile fromId(int id) {
        for (SrtpProfile p : values()) if (p.id == id) return p;
        return null;
    }
}
