package dev.parley.rtc.stun;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static dev.parley.rtc.stun.Stun.*;

/**
 * MESSAGE-INTEGRITY (HMAC-SHA1) for one key, plus FINGERPRINT. Keyed once, reused for every message.
 * Not thread-safe.
 */
public final class StunIntegrity {
    private final Mac mac;
    private final byte[] header = new byte[4];
    private final byte[] digest = new byte[20];

    /** @param key short-term: the password's UTF-8 bytes; long-term: {@link #longTermKey}. */
    public StunIntegrity(byte[] key) {
        try {
            mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA1"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
        if (key.length == 0) throw new IllegalArgumentException("empty STUN key");
    }

    public static StunIntegrity shortTerm(String password) {
        return new StunIntegrity(password.getBytes(StandardCharsets.UTF_8));
    }

    /** RFC 5389 §15.4 long-term key: MD5(username ":" realm ":" password). */
    public static byte[] longTermKey(String username, String realm, String password) {
        try {
            return MessageDigest.getInstance("MD5")
                    .digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True if the message carries MESSAGE-INTEGRITY and it matches this key. Constant time compare. */
    public boolean verify(StunMessage m) {
        int mi = m.messageIntegrityOffset();
        if (mi < 0) return false;
        compute(m.buffer(), m.offset(), mi, digest, 0);
        int v = mi + 4;
        byte[] b = m.buffer();
        int diff = 0;
        for (int i = 0; i < MESSAGE_INTEGRITY_LENGTH; i++) diff |= b[v + i] ^ digest[i];
        return diff == 0;
    }

    /**
     * HMAC over the message from {@code msgOff} up to the MESSAGE-INTEGRITY attribute at
     * {@code miAttrOff}, with the header's length field set as if the message ended right after it.
     */
    void compute(byte[] b, int msgOff, int miAttrOff, byte[] out, int outOff) {
        int lengthThroughMi = miAttrOff + 4 + MESSAGE_INTEGRITY_LENGTH - msgOff - HEADER_LENGTH;
        header[0] = b[msgOff];
        header[1] = b[msgOff + 1];
        writeShort(header, 2, lengthThroughMi);
        mac.update(header, 0, 4);
        mac.update(b, msgOff + 4, miAttrOff - msgOff - 4);
        try {
            mac.doFinal(out, outOff);
        } catch (javax.crypto.ShortBufferException e) {
            throw new AssertionError(e);
        }
    }

    /** FINGERPRINT check; false when absent. */
    public static boolean verifyFingerprint(StunMessage m, CRC32 crc) {
        int fp = m.fingerprintOffset();
        if (fp < 0) return false;
        return readInt(m.buffer(), fp + 4) == fingerprint(m.buffer(), m.offset(), fp, crc);
    }

    /** CRC-32 of the message up to the FINGERPRINT attribute at {@code fpAttrOff}, XOR'd per RFC 5389. */
    static int fingerprint(byte[] b, int msgOff, int fpAttrOff, CRC32 crc) {
        int lengthThroughFp = fpAttrOff + 8 - msgOff - HEADER_LENGTH;
        crc.reset();
        crc.update(b, msgOff, 2);
        crc.update(lengthThroughFp >>> 8);
        crc.update(lengthThroughFp & 0xFF);
        crc.update(b, msgOff + 4, fpAttrOff - msgOff - 4);
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }
}
