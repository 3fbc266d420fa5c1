package dev.parley.rtc.srtp;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which AEAD_AES_128_GCM implementation this JVM uses, chosen once: {@link OpenSslGcmCipher} when
 * libcrypto links and agrees with the JDK on a test packet, else the JDK's {@link GcmCipher} (about
 * 1 KB of garbage and roughly twice the CPU per packet). The choice is logged once.
 */
final class GcmChoice {
    private static final Logger log = LoggerFactory.getLogger(GcmChoice.class);
    /** True when OpenSSL is used. */
    static final boolean NATIVE = choose();

    private GcmChoice() {
    }

    static PacketCipher create(SessionKeys keys) {
        return NATIVE ? new OpenSslGcmCipher(keys) : new GcmCipher(keys);
    }

    private static boolean choose() {
        if (LibCrypto.UNAVAILABLE != null) {
            log.info("SRTP AES-GCM: the JDK's (OpenSSL libcrypto not used: {})", LibCrypto.UNAVAILABLE);
            return false;
        }
        try {
            selfTest();
        } catch (RuntimeException | LinkageError | AssertionError e) {
            log.warn("SRTP AES-GCM: the JDK's (OpenSSL libcrypto failed its self-test: {})", e.toString());
            return false;
        }
        log.info("SRTP AES-GCM: OpenSSL libcrypto through java.lang.foreign");
        return true;
    }

    /**
     * Two packets through both implementations: same bytes out, and OpenSSL reads back its own.
     * Two, because OpenSSL's cipher sets the IV of a second packet in the same direction another
     * way than the first's ({@link OpenSslGcmCipher}): both ways are checked before it is used.
     */
    private static void selfTest() {
        byte[] key = new byte[16];
        byte[] salt = new byte[12];
        for (int i = 0; i < 16; i++) key[i] = (byte) (i * 11 + 1);
        for (int i = 0; i < 12; i++) salt[i] = (byte) (i * 7 + 3);
        SessionKeys k = new SessionKeys(key, null, salt);
        GcmCipher jdk = new GcmCipher(k);
        OpenSslGcmCipher tx = new OpenSslGcmCipher(k);
        OpenSslGcmCipher rx = new OpenSslGcmCipher(k);
        for (int seq = 6; seq < 8; seq++) {
            byte[] a = new byte[100];
            for (int i = 0; i < 80; i++) a[i] = (byte) (i + seq);
            byte[] b = a.clone();
            int n = jdk.protectRtp(a, 0, 12, 80, a, 0, 0x01020304, 5, seq);
            if (tx.protectRtp(b, 0, 12, 80, b, 0, 0x01020304, 5, seq) != n || !Arrays.equals(a, b)) {
                throw new AssertionError("OpenSSL and the JDK disagree");
            }
            if (!rx.unprotectRtp(b, 0, 12, n, b, 0, 0x01020304, 5, seq)) throw new AssertionError("tag rejected");
        }
    }
}
