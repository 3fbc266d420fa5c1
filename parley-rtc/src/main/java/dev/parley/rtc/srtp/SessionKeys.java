package dev.parley.rtc.srtp;

/** Session keys derived for one of SRTP or SRTCP. {@code authKey} is null for AEAD profiles. */
record SessionKeys(byte[] encryptionKey, byte[] authKey, byte[] salt) {
    static SessionKeys rtp(SrtpProfile p, byte[] masterKey, byte[] masterSalt) {
        return derive(p, masterKey, masterSalt, SrtpKdf.LABEL_RTP_ENCRYPTION);
    }

    static SessionKeys rtcp(SrtpProfile p, byte[] masterKey, byte[] masterSalt) {
        return derive(p, masterKey, masterSalt, SrtpKdf.LABEL_RTCP_ENCRYPTION);
    }

    private static SessionKeys derive(SrtpProfile p, byte[] mk, byte[] ms, int base) {
        byte[] enc = SrtpKdf.derive(mk, ms, base, p.keyLength());
        byte[] auth = p == SrtpProfile.AES_CM_128_HMAC_SHA1_80 ? SrtpKdf.derive(mk, ms, base + 1, 20) : null;
        byte[] salt = SrtpKdf.derive(mk, ms, base + 2, p.saltLength());
        return new SessionKeys(enc, auth, salt);
    }
}
