package dev.parley.rtc.srtp;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AEAD_AES_128_GCM (RFC 7714) on one reused JCE Cipher. GCM needs a re-init per IV; the JDK then
 * allocates about 1 KB of short-lived objects per packet (measured on JDK 25; a pure-Java GHASH without
 * allocation would cost several times the CPU of the intrinsified JDK code, so we accept it).
 */
final class GcmCipher implements PacketCipher {
    private static final int TAG = 16;
    private final Cipher cipher;
    private final SecretKeySpec key;
    private final byte[] salt;
    private final byte[] iv = new byte[12];
    private final byte[] word = new byte[4];

    GcmCipher(SessionKeys keys) {
        try {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM unavailable", e);
        }
        key = new SecretKeySpec(keys.encryptionKey(), "AES");
        salt = keys.salt().clone();
        if (salt.length != 12) throw new IllegalArgumentException("GCM salt must be 12 bytes");
    }

    @Override
    public int tagLength() {
        return TAG;
    }

    private void init(int mode) {
        try {
            cipher.init(mode, key, new GCMParameterSpec(TAG * 8, iv));
        } catch (InvalidAlgorithmParameterException e) {
            if (mode != Cipher.ENCRYPT_MODE) throw new IllegalStateException(e);
            // The JCE refuses the same key+IV twice in a row. Only an identical retransmission (same
            // index, same bytes) can ask for that, and it yields identical output: step over the check.
            try {
                byte[] other = iv.clone();
                other[0] ^= 1;
                cipher.init(mode, key, new GCMParameterSpec(TAG * 8, other));
                cipher.init(mode, key, new GCMParameterSpec(TAG * 8, iv));
            } catch (GeneralSecurityException again) {
                throw new IllegalStateException(again);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int protectRtp(byte[] src, int srcOff, int hdrLen, int len, byte[] dst, int dstOff, int ssrc, int roc, int seq) {
        GcmIv.write(salt, ssrc, RtpStreamState.index(roc, seq), iv);
        init(Cipher.ENCRYPT_MODE);
        try {
            cipher.updateAAD(src, srcOff, hdrLen);
            int n = cipher.doFinal(src, srcOff + hdrLen, len - hdrLen, dst, dstOff + hdrLen);
            if (src != dst || srcOff != dstOff) System.arraycopy(src, srcOff, dst, dstOff, hdrLen);
            return hdrLen + n;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("GCM encrypt", e);
        }
    }

    @Override
    public boolean unprotectRtp(byte[] src, int srcOff, int hdrLen, int len, byte[] dst, int dstOff, int ssrc, int roc, int seq) {
        GcmIv.write(salt, ssrc, RtpStreamState.index(roc, seq), iv);
        init(Cipher.DECRYPT_MODE);
        try {
            cipher.updateAAD(src, srcOff, hdrLen);
            cipher.doFinal(src, srcOff + hdrLen, len - hdrLen, dst, dstOff + hdrLen);
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("GCM decrypt", e);
        }
        if (src != dst || srcOff != dstOff) System.arraycopy(src, srcOff, dst, dstOff, hdrLen);
        return true;
    }

    @Override
    public int protectRtcp(byte[] src, int srcOff, int len, byte[] dst, int dstOff, int ssrc, int index) {
        GcmIv.write(salt, ssrc, index & 0xFFFFFFFFL, iv);
        init(Cipher.ENCRYPT_MODE);
        PacketCipher.writeInt(word, 0, index | 0x80000000);
        try {
            cipher.updateAAD(src, srcOff, 8);
            cipher.updateAAD(word, 0, 4);
            int n = cipher.doFinal(src, srcOff + 8, len - 8, dst, dstOff + 8);
            if (src != dst || srcOff != dstOff) System.arraycopy(src, srcOff, dst, dstOff, 8);
            System.arraycopy(word, 0, dst, dstOff + 8 + n, 4);
            return 8 + n + 4;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("GCM encrypt", e);
        }
    }

    @Override
    public int rtcpIndexOffset(int len) {
        return len - 4;
    }

    @Override
    public boolean unprotectRtcp(byte[] src, int srcOff, int len, byte[] dst, int dstOff, int ssrc, int index, boolean encrypted) {
        GcmIv.write(salt, ssrc, index & 0xFFFFFFFFL, iv);
        init(Cipher.DECRYPT_MODE);
        int eIndexOff = srcOff + len - 4;
        try {
            if (encrypted) {
                cipher.updateAAD(src, srcOff, 8);
                cipher.updateAAD(src, eIndexOff, 4);
                cipher.doFinal(src, srcOff + 8, len - 4 - 8, dst, dstOff + 8);
                if (src != dst || srcOff != dstOff) System.arraycopy(src, srcOff, dst, dstOff, 8);
            } else {
                // RFC 7714 §9.2: unencrypted SRTCP authenticates the whole packet as AAD
                int plainLen = len - 4 - TAG;
                cipher.updateAAD(src, srcOff, plainLen);
                cipher.updateAAD(src, eIndexOff, 4);
                cipher.doFinal(src, srcOff + plainLen, TAG, dst, dstOff + plainLen);
                if (src != dst || srcOff != dstOff) System.arraycopy(src, srcOff, dst, dstOff, plainLen);
            }
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("GCM decrypt", e);
        }
        return true;
    }
}
