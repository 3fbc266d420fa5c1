package dev.parley.rtc.srtp;

import java.security.DigestException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * HMAC-SHA1 (RFC 2104) on a reused MessageDigest. {@code javax.crypto.Mac.doFinal} returns a fresh
 * array per call; this writes into the caller's buffer, so SRTP authentication allocates nothing.
 * Not thread-safe.
 */
final class HmacSha1 {
    private final MessageDigest sha1;
    private final byte[] ipad = new byte[64];
    private final byte[] opad = new byte[64];
    private final byte[] inner = new byte[20];

    HmacSha1(byte[] key) {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 unavailable", e);
        }
        byte[] k = key.length > 64 ? sha1.digest(key) : key;
        for (int i = 0; i < 64; i++) {
            byte b = i < k.length ? k[i] : 0;
            ipad[i] = (byte) (b ^ 0x36);
            opad[i] = (byte) (b ^ 0x5c);
        }
    }

    void start() {
        sha1.reset();
        sha1.update(ipad);
    }

    void update(byte[] b, int off, int len) {
        sha1.update(b, off, len);
    }

    /** Writes the 20-byte MAC at out[outOff]. */
    void finish(byte[] out, int outOff) {
        try {
            sha1.digest(inner, 0, 20);
            sha1.update(opad);
            sha1.update(inner, 0, 20);
            sha1.digest(out, outOff, 20);
        } catch (DigestException e) {
            throw new AssertionError(e);
        }
    }
}
