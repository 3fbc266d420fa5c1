package dev.parley.rtc.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES counter mode as SRTP uses it (RFC 3711 §4.1.1): the 16-bit block counter sits in the low bytes
 * of the IV. The keystream is produced by one AES/ECB call over a block of counters, so the per-packet
 * work allocates nothing and uses the JDK's AES intrinsics. Not thread-safe.
 */
final class AesCtr {
    private static final int CHUNK = 2048;
    /** XOR eight bytes at a time: byte order does not matter for XOR, so native order is fastest. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private final Cipher ecb;
    private final byte[] counters = new byte[CHUNK];
    private final byte[] stream = new byte[CHUNK];

    AesCtr(byte[] key) {
        try {
            ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES unavailable", e);
        }
    }

    /** dst[dstOff..+len] = src[srcOff..+len] XOR keystream(iv); src and dst may be the same region. */
    void xor(byte[] iv, byte[] src, int srcOff, byte[] dst, int dstOff, int len) {
        int block = 0;
        int done = 0;
        while (done < len) {
            int n = Math.min(CHUNK, len - done);
            int blocks = (n + 15) >>> 4;
            for (int b = 0; b < blocks; b++, block++) {
                int o = b << 4;
                System.arraycopy(iv, 0, counters, o, 14);
                counters[o + 14] = (byte) (iv[14] ^ (block >>> 8));
                counters[o + 15] = (byte) (iv[15] ^ block);
            }
            try {
                ecb.update(counters, 0, blocks << 4, stream, 0);
            } catch (ShortBufferException e) {
                throw new AssertionError(e);
            }
            int s = srcOff + done;
            int d = dstOff + done;
            int i = 0;
            for (; i + 8 <= n; i += 8) {
                LONGS.set(dst, d + i, (long) LONGS.get(src, s + i) ^ (long) LONGS.get(stream, i));
            }
            for (; i < n; i++) {
                dst[d + i] = (byte) (src[s + i] ^ stream[i]);
            }
            done += n;
        }
    }

    /** Writes {@code len} bytes of keystream. */
    void keystream(byte[] iv, byte[] out, int outOff, int len) {
        java.util.Arrays.fill(out, outOff, outOff + len, (byte) 0);
        xor(iv, out, outOff, out, outOff, len);
    }
}
