package dev.parley.rtc.srtp;

/** AES_CM_128_HMAC_SHA1_80 (RFC 3711 §4.1.1 and §4.2.1). */
final class CtrHmacCipher implements PacketCipher {
    private static final int TAG = 10;
    private final AesCtr ctr;
    private final HmacSha1 hmac;
    private final byte[] salt;
    private final byte[] iv = new byte[16];
    private final byte[] word = new byte[4];
    private final byte[] mac = new byte[20];

    CtrHmacCipher(SessionKeys keys) {
        this.ctr = new AesCtr(keys.encryptionKey());
        this.hmac = new HmacSha1(keys.authKey());
        this.salt = keys.salt().clone();
    }

    @Override
    public int tagLength() {
        return TAG;
    }

    @Override
    public int protectRtp(byte[] src, int srcOff, int hdrLen, int len, byte[] dst, int dstOff, int ssrc, int roc, int seq) {
        if (src != dst || srcOff != dstOff) System.arraycopy(src, srcOff, dst, dstOff, hdrLen);
        ivRtp(ssrc, roc, seq);
        ctr.xor(iv, src, srcOff + hdrLen, dst, dstOff + hdrLen, len - hdrLen);
        rtpTag(dst, dstOff, len, roc);
        System.arraycopy(mac, 0, dst, dstOff + len, TAG);
        return len + TAG;
    }

    @Override
    public boolean unprotectRtp(byte[] src, int srcOff, int hdrLen, int len, byte[] dst, int dstOff, int ssrc, int roc, int seq) {
        int authLen = len - TAG;
        rtpTag(src, srcOff, authLen, roc);
        if (!tagMatches(src, srcOff + authLen)) return false;
        if (src != dst || srcOff != dstOff) System.arraycopy(src, srcOff, dst, dstOff, hdrLen);
        ivRtp(ssrc, roc, seq);
        ctr.xor(iv, src, srcOff + hdrLen, dst, dstOff + hdrLen, authLen - hdrLen);
        return true;
    }

    /** IV = (salt << 16) XOR (SSRC << 64) XOR (index << 16); the 48-bit index high32||low16 fills bytes 8..13. */
    private void ivRtp(int ssrc, int roc, int seq) {
        System.arraycopy(salt, 0, iv, 0, 14);
        iv[14] = 0;
        iv[15] = 0;
        iv[4] ^= (byte) (ssrc >>> 24);
        iv[5] ^= (byte) (ssrc >>> 16);
        iv[6] ^= (byte) (ssrc >>> 8);
        iv[7] ^= (byte) ssrc;
        iv[8] ^= (byte) (roc >>> 24);
        iv[9] ^= (byte) (roc >>> 16);
        iv[10] ^= (byte) (roc >>> 8);
        iv[11] ^= (byte) roc;
        iv[12] ^= (byte) (seq >>> 8);
        iv[13] ^= (byte) seq;
    }

    private void rtpTag(byte[] b, int off, int len, int roc) {
        hmac.start();
        hmac.update(b, off, len);
        PacketCipher.writeInt(word, 0, roc);
        hmac.update(word, 0, 4);
        hmac.finish(mac, 0);
    }

    private boolean tagMatches(byte[] b, int tagOff) {
        int diff = 0;
        for (int i = 0; i < TAG; i++) diff |= b[tagOff + i] ^ mac[i];
        return diff == 0;
    }

    @Override
    public int protectRtcp(byte[] src, int srcOff, int len, byte[] dst, int dstOff, int ssrc, int index) {
        if (src != dst || srcOff != dstOff) System.arraycopy(src, srcOff, dst, dstOff, 8);
        ivRtp(ssrc, index >>> 16, index & 0xFFFF);
        ctr.xor(iv, src, srcOff + 8, dst, dstOff + 8, len - 8);
        PacketCipher.writeInt(dst, dstOff + len, index | 0x80000000);
        hmac.start();
        hmac.update(dst, dstOff, len + 4);
        hmac.finish(mac, 0);
        System.arraycopy(mac, 0, dst, dstOff + len + 4, TAG);
        return len + 4 + TAG;
    }

    @Override
    public int rtcpIndexOffset(int len) {
        return len - TAG - 4;
    }

    @Override
    public boolean unprotectRtcp(byte[] src, int srcOff, int len, byte[] dst, int dstOff, int ssrc, int index, boolean encrypted) {
        int authLen = len - TAG;
        hmac.start();
        hmac.update(src, srcOff, authLen);
        hmac.finish(mac, 0);
        if (!tagMatches(src, srcOff + authLen)) return false;
        int plainLen = authLen - 4;
        if (encrypted) {
            if (src != dst || srcOff != dstOff) System.arraycopy(src, srcOff, dst, dstOff, 8);
            ivRtp(ssrc, index >>> 16, index & 0xFFFF);
            ctr.xor(iv, src, srcOff + 8, dst, dstOff + 8, plainLen - 8);
        } else if (src != dst || srcOff != dstOff) {
            System.arraycopy(src, srcOff, dst, dstOff, plainLen);
        }
        return true;
    }
}
