package dev.parley.rtc.srtp;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;

/**
 * AEAD_AES_128_GCM (RFC 7714) on OpenSSL's libcrypto through {@link LibCrypto}: one EVP_CIPHER_CTX
 * keyed once, given a new IV per packet; the packet is copied into native memory, transformed there in
 * place and copied back (see {@link LibCrypto} for why not straight from the array). Unlike the JDK's
 * GCM (which must be re-initialised with a fresh parameter object per IV and allocates about 1 KB per
 * packet) this allocates nothing per packet, and OpenSSL's AES-NI/PCLMUL code is also faster.
 *
 * <p>The context is freed by a {@link Cleaner} when this object becomes unreachable (an SRTP context
 * lives as long as its transport's keys; there is no explicit close to forget). On an authentication
 * failure the output region holds unauthenticated bytes: callers drop the packet. Not thread-safe.
 */
final class OpenSslGcmCipher implements PacketCipher {
    private static final Cleaner CLEANER = Cleaner.create();
    /** Contexts created and freed so far (a test checks that dropped ciphers free theirs). */
    static final LongAdder CREATED = new LongAdder();
    static final LongAdder FREED = new LongAdder();
    private static final int TAG = 16;
    private static final int KEY = 0;
    private static final int IV = 16;
    private static final int OUTL = 32;
    private static final int SPARE = 48;
    private static final int TAG_AT = 64;
    private static final int DATA = 128;
    /** Packets (and headers) longer than this go through in several updates. */
    private static final int CHUNK = 2048;

    /** Native scratch: key (only while keying), IV, the outl int, the spare output of EVP_CipherFinal_ex, the tag, the data. */
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(DATA + CHUNK);
    private final long ivAddr;
    private final long outl;
    private final long spare;
    private final long tagAddr;
    private final long data;
    private final long ctx;
    private final byte[] salt;
    private final byte[] word = new byte[4];
    private final byte[] iv = new byte[12];
    /** The direction the context was last initialised for (EVP_CipherInit_ex's enc), or -1. */
    private int direction = -1;
    /** False once this libcrypto refused to set the IV by control: EVP_CipherInit_ex from then on. */
    private boolean ivByControl = true;

    OpenSslGcmCipher(SessionKeys keys) {
        if (LibCrypto.UNAVAILABLE != null) throw new IllegalStateException("libcrypto: " + LibCrypto.UNAVAILABLE);
        salt = keys.salt().clone();
        if (salt.length != 12) throw new IllegalArgumentException("GCM salt must be 12 bytes");
        byte[] key = keys.encryptionKey();
        if (key.length != 16) throw new IllegalArgumentException("AES-128 needs a 16-byte key");
        long base = LibCrypto.address(scratch);
        ivAddr = base + IV;
        outl = base + OUTL;
        spare = base + SPARE;
        tagAddr = base + TAG_AT;
        data = base + DATA;
        try {
            ctx = (long) LibCrypto.CTX_NEW.invokeExact();
            if (ctx == 0) throw new OutOfMemoryError("EVP_CIPHER_CTX_new");
            CLEANER.register(this, new Free(ctx));
            CREATED.increment();
            scratch.put(KEY, key);
            long cipher = (long) LibCrypto.AES_128_GCM.invokeExact();
            int ok = (int) LibCrypto.INIT.invokeExact(ctx, cipher, 0L, base + KEY, 0L, 1);
            scratch.put(KEY, new byte[16]);
            check(ok, "EVP_CipherInit_ex (key)");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Frees the native context; holds no reference to the cipher. */
    private record Free(long ctx) implements Runnable {
        @Override
        public void run() {
            try {
                LibCrypto.CTX_FREE.invokeExact(ctx);
                FREED.increment();
            } catch (Throwable ignored) {
                // nothing to do: at worst one context leaks
            }
        }
    }

    private static void check(int result, String what) {
        if (result != 1) throw new IllegalStateException("OpenSSL " + what + " failed");
    }

    @Override
    public int tagLength() {
        return TAG;
    }

    /**
     * IV = salt XOR (00 00 || SSRC || a || b) (RFC 7714 §8.1, §9.1). When the context already
     * runs in this direction, the IV is set with one EVP_CIPHER_CTX_ctrl(EVP_CTRL_GCM_SET_IV_FIXED,
     * -1, iv): OpenSSL 3 takes -1 as "the whole IV" (its provider's setivfixed), the same state
     * EVP_CipherInit_ex leaves, but without EVP_CipherInit_ex's generic checks and parameter
     * queries (measured in C on this machine: about 60-100 ns less per packet). Otherwise, or if
     * that control is refused, EVP_CipherInit_ex with only the IV and the direction.
     */
    private void start(int ssrc, long index, boolean encrypt) throws Throwable {
        GcmIv.write(salt, ssrc, index, iv);
        scratch.put(IV, iv);
        int enc = encrypt ? 1 : 0;
        if (direction == enc && ivByControl) {
            if ((int) LibCrypto.CTRL.invokeExact(ctx, LibCrypto.EVP_CTRL_GCM_SET_IV_FIXED, -1, ivAddr) == 1) {
                return;
            }
            ivByControl = false;
        }
        check((int) LibCrypto.INIT.invokeExact(ctx, 0L, 0L, 0L, ivAddr, enc), "EVP_CipherInit_ex (IV)");
        direction = enc;
    }

    /**
     * The common case in as few native calls and copies as possible: the whole packet copied into
     * native memory once; EVP_Cipher (the provider's cipher function, without EVP_CipherUpdate's
     * generic layer) on the header as additional data, then on the payload in place, then with no
     * input (GCM's final step: the tag is computed or checked); the tag read (or written) right
     * behind the payload, so that payload and tag come back in one copy.
     *
     * @return false when decrypting and the tag does not match
     */
    private boolean sealOrOpen(byte[] src, int srcOff, int aadLen, int len, byte[] dst, int dstOff, boolean encrypt)
            throws Throwable {
        scratch.put(DATA, src, srcOff, encrypt ? len : len + TAG);
        if ((int) LibCrypto.CIPHER.invokeExact(ctx, 0L, data, aadLen) < 0) throw new IllegalStateException("OpenSSL EVP_Cipher (AAD)");
        int n = len - aadLen;
        long payload = data + aadLen;
        if ((int) LibCrypto.CIPHER.invokeExact(ctx, payload, payload, n) < 0) throw new IllegalStateException("OpenSSL EVP_Cipher");
        long tag = data + len;
        if (encrypt) {
            if ((int) LibCrypto.CIPHER.invokeExact(ctx, 0L, 0L, 0) < 0) throw new IllegalStateException("OpenSSL EVP_Cipher (final)");
            check((int) LibCrypto.CTRL.invokeExact(ctx, LibCrypto.EVP_CTRL_AEAD_GET_TAG, TAG, tag), "GET_TAG");
            scratch.get(DATA + aadLen, dst, dstOff + aadLen, n + TAG);
            return true;
        }
        check((int) LibCrypto.CTRL.invokeExact(ctx, LibCrypto.EVP_CTRL_AEAD_SET_TAG, TAG, tag), "SET_TAG");
        if ((int) LibCrypto.CIPHER.invokeExact(ctx, 0L, 0L, 0) < 0) return false;
        scratch.get(DATA + aadLen, dst, dstOff + aadLen, n);
        return true;
    }

    /** Whether the IV still goes in by control (false once libcrypto refused it); a test checks the fast path is taken. */
    boolean setsIvByControl() {
        return ivByControl;
    }

    /** Whether a packet of {@code len} bytes (without tag) goes through {@link #sealOrOpen}. */
    private static boolean fits(int len) {
        return len + TAG <= CHUNK;
    }

    private void aad(byte[] b, int off, int len) throws Throwable {
        for (int done = 0; done < len; done += CHUNK) {
            int n = Math.min(CHUNK, len - done);
            scratch.put(DATA, b, off + done, n);
            check((int) LibCrypto.UPDATE.invokeExact(ctx, 0L, outl, data, n), "EVP_CipherUpdate (AAD)");
        }
    }

    private void crypt(byte[] src, int srcOff, byte[] dst, int dstOff, int len) throws Throwable {
        for (int done = 0; done < len; done += CHUNK) {
            int n = Math.min(CHUNK, len - done);
            scratch.put(DATA, src, srcOff + done, n);
            check((int) LibCrypto.UPDATE.invokeExact(ctx, data, outl, data, n), "EVP_CipherUpdate");
            scratch.get(DATA, dst, dstOff + done, n); // GCM is a stream mode: n bytes in, n out
        }
    }

    private boolean finish() throws Throwable {
        return (int) LibCrypto.FINAL.invokeExact(ctx, spare, outl) == 1;
    }

    private void getTag(byte[] dst, int off) throws Throwable {
        check((int) LibCrypto.CTRL.invokeExact(ctx, LibCrypto.EVP_CTRL_AEAD_GET_TAG, TAG, tagAddr), "GET_TAG");
        scratch.get(TAG_AT, dst, off, TAG);
    }

    private void setTag(byte[] src, int off) throws Throwable {
        scratch.put(TAG_AT, src, off, TAG);
        check((int) LibCrypto.CTRL.invokeExact(ctx, LibCrypto.EVP_CTRL_AEAD_SET_TAG, TAG, tagAddr), "SET_TAG");
    }

    private static IllegalStateException failed(Throwable t) {
        return t instanceof IllegalStateException e ? e : new IllegalStateException("OpenSSL GCM", t);
    }

    @Override
    public int protectRtp(byte[] src, int srcOff, int hdrLen, int len, byte[] dst, int dstOff, int ssrc, int roc, int seq) {
        try {
            start(ssrc, RtpStreamState.index(roc, seq), true);
            if (fits(len)) {
                sealOrOpen(src, srcOff, hdrLen, len, dst, dstOff, true);
                if (src != dst || srcOff != dstOff) System.arraycopy(src, srcOff, dst, dstOff, hdrLen);
                return len + TAG;
            }
            aad(src, srcOff, hdrLen);
            crypt(src, srcOff + hdrLen, dst, dstOff + hdrLen, len - hdrLen);
            if (!finish()) throw new IllegalStateException("OpenSSL EVP_CipherFinal_ex failed");
            getTag(dst, dstOff + len);
        } catch (Throwable t) {
            throw failed(t);
        }
        if (src != dst || srcOff != dstOff) System.arraycopy(src, srcOff, dst, dstOff, hdrLen);
        return len + TAG;
    }

    @Override
    public boolean unprotectRtp(byte[] src, int srcOff, int hdrLen, int len, byte[] dst, int dstOff, int ssrc, int roc, int seq) {
        int cipherLen = len - hdrLen - TAG;
        try {
            start(ssrc, RtpStreamState.index(roc, seq), false);
            if (fits(len - TAG)) {
                if (!sealOrOpen(src, srcOff, hdrLen, len - TAG, dst, dstOff, false)) return false;
                if (src != dst || srcOff != dstOff) System.arraycopy(src, srcOff, dst, dstOff, hdrLen);
                return true;
            }
            setTag(src, srcOff + len - TAG);
            aad(src, srcOff, hdrLen);
            crypt(src, srcOff + hdrLen, dst, dstOff + hdrLen, cipherLen);
            if (!finish()) return false;
        } catch (Throwable t) {
            throw failed(t);
        }
        if (src != dst || srcOff != dstOff) System.arraycopy(src, srcOff, dst, dstOff, hdrLen);
        return true;
    }

    @Override
    public int protectRtcp(byte[] src, int srcOff, int len, byte[] dst, int dstOff, int ssrc, int index) {
        PacketCipher.writeInt(word, 0, index | 0x80000000);
        try {
            start(ssrc, index & 0xFFFFFFFFL, true);
            aad(src, srcOff, 8);
            aad(word, 0, 4);
            crypt(src, srcOff + 8, dst, dstOff + 8, len - 8);
            if (!finish()) throw new IllegalStateException("OpenSSL EVP_CipherFinal_ex failed");
            getTag(dst, dstOff + len);
        } catch (Throwable t) {
            throw failed(t);
        }
        if (src != dst || srcOff != dstOff) System.arraycopy(src, srcOff, dst, dstOff, 8);
        System.arraycopy(word, 0, dst, dstOff + len + TAG, 4);
        return len + TAG + 4;
    }

    @Override
    public int rtcpIndexOffset(int len) {
        return len - 4;
    }

    @Override
    public boolean unprotectRtcp(byte[] src, int srcOff, int len, byte[] dst, int dstOff, int ssrc, int index, boolean encrypted) {
        int eIndexOff = srcOff + len - 4;
        int plainLen = len - 4 - TAG;
        try {
            start(ssrc, index & 0xFFFFFFFFL, false);
            setTag(src, srcOff + plainLen);
            if (encrypted) {
                aad(src, srcOff, 8);
                aad(src, eIndexOff, 4);
                crypt(src, srcOff + 8, dst, dstOff + 8, plainLen - 8);
            } else {
                // RFC 7714 §9.2: unencrypted SRTCP authenticates the whole packet as AAD
                aad(src, srcOff, plainLen);
                aad(src, eIndexOff, 4);
            }
            if (!finish()) return false;
        } catch (Throwable t) {
            throw failed(t);
        }
        if (src != dst || srcOff != dstOff) System.arraycopy(src, srcOff, dst, dstOff, encrypted ? 8 : plainLen);
        return true;
    }
}
