package dev.parley.rtc.srtp;

import static dev.parley.rtc.srtp.SrtpVectorsTest.GCM_KEYS;
import static dev.parley.rtc.srtp.SrtpVectorsTest.GCM_RTCP_PLAIN;
import static dev.parley.rtc.srtp.SrtpVectorsTest.GCM_RTCP_PROTECTED;
import static dev.parley.rtc.srtp.SrtpVectorsTest.GCM_RTP_PLAIN;
import static dev.parley.rtc.srtp.SrtpVectorsTest.GCM_RTP_PROTECTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** AEAD_AES_128_GCM on OpenSSL's libcrypto against RFC 7714's vectors and against the JDK's GCM. */
class GcmImplementationsTest {
    enum Impl {
        JDK(GcmCipher::new),
        OPENSSL(OpenSslGcmCipher::new);

        final Function<SessionKeys, PacketCipher> create;

        Impl(Function<SessionKeys, PacketCipher> create) {
            this.create = create;
        }

        SrtpContext context(SessionKeys keys) {
            if (this == OPENSSL) Assumptions.assumeTrue(LibCrypto.UNAVAILABLE == null, LibCrypto.UNAVAILABLE);
            return new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, create.apply(keys), create.apply(keys));
        }
    }

    private static SessionKeys randomKeys(long seed) {
        Random r = new Random(seed);
        byte[] key = new byte[16];
        byte[] salt = new byte[12];
        r.nextBytes(key);
        r.nextBytes(salt);
        return new SessionKeys(key, null, salt);
    }

    @Test
    void libcryptoIsUsedWhereItIsInstalled() {
        Assumptions.assumeTrue(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libcrypto.so.3"))
                && !Boolean.getBoolean(LibCrypto.OFF_PROPERTY));
        assertThat(LibCrypto.UNAVAILABLE).isNull();
        assertThat(GcmChoice.NATIVE).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Impl.class)
    void rfc7714_16_rtpVector(Impl impl) {
        byte[] buf = Arrays.copyOf(GCM_RTP_PLAIN, 200);
        int n = impl.context(GCM_KEYS).protectRtp(buf, 0, GCM_RTP_PLAIN.length);
        assertThat(Arrays.copyOf(buf, n)).isEqualTo(GCM_RTP_PROTECTED);
        byte[] out = new byte[200];
        assertThat(impl.context(GCM_KEYS).unprotectRtp(GCM_RTP_PROTECTED, 0, GCM_RTP_PROTECTED.length, out, 3))
                .isEqualTo(GCM_RTP_PLAIN.length);
        assertThat(Arrays.copyOfRange(out, 3, 3 + GCM_RTP_PLAIN.length)).isEqualTo(GCM_RTP_PLAIN);
    }

    @ParameterizedTest
    @EnumSource(Impl.class)
    void rfc7714_17_rtcpVector(Impl impl) {
        SrtpContext tx = impl.context(GCM_KEYS);
        tx.setNextRtcpIndex(0x4d617273, 0x5d4);
        byte[] buf = Arrays.copyOf(GCM_RTCP_PLAIN, 200);
        int n = tx.protectRtcp(buf, 0, GCM_RTCP_PLAIN.length);
        assertThat(Arrays.copyOf(buf, n)).isEqualTo(GCM_RTCP_PROTECTED);
        byte[] in = GCM_RTCP_PROTECTED.clone();
        assertThat(impl.context(GCM_KEYS).unprotectRtcp(in, 0, in.length)).isEqualTo(GCM_RTCP_PLAIN.length);
        assertThat(Arrays.copyOf(in, GCM_RTCP_PLAIN.length)).isEqualTo(GCM_RTCP_PLAIN);
    }

    /** Payload sizes from empty to beyond OpenSslGcmCipher.CHUNK, with and without header extension, both directions crossed. */
    @Test
    void openSsl_andJdk_produceAndAcceptTheSameBytes() {
        SessionKeys keys = randomKeys(7);
        SrtpContext jdkTx = Impl.JDK.context(keys);
        SrtpContext sslTx = Impl.OPENSSL.context(keys);
        SrtpContext jdkRx = Impl.JDK.context(keys);
        SrtpContext sslRx = Impl.OPENSSL.context(keys);
        byte[] plain = new byte[5200];
        byte[] a = new byte[5200];
        byte[] b = new byte[5200];
        byte[] out = new byte[5200];
        for (int size = 0; size <= 4600; size += size < 40 ? 1 : 37) {
            int seq = 1000 + size;
            int len = SrtpContextTest.rtp(plain, 0, seq, size, size % 2 == 0);
            System.arraycopy(plain, 0, a, 0, len);
            int n = jdkTx.protectRtp(a, 0, len);
            assertThat(sslTx.protectRtp(plain, 0, len, b, 5)).isEqualTo(n);
            assertThat(Arrays.copyOfRange(b, 5, 5 + n)).as("size %d", size).isEqualTo(Arrays.copyOf(a, n));
            assertThat(sslRx.unprotectRtp(a, 0, n, out, 1)).isEqualTo(len);
            assertThat(Arrays.copyOfRange(out, 1, 1 + len)).isEqualTo(Arrays.copyOf(plain, len));
            assertThat(jdkRx.unprotectRtp(b, 5, n)).isEqualTo(len);
            assertThat(Arrays.copyOfRange(b, 5, 5 + len)).isEqualTo(Arrays.copyOf(plain, len));
        }
        for (int index = 0; index < 50; index++) {
            int len = 8 + 4 * (index % 30);
            for (int i = 0; i < len; i++) a[i] = (byte) (i * 13 + index);
            a[0] = (byte) 0x81;
            System.arraycopy(a, 0, b, 0, len);
            int n = jdkTx.protectRtcp(a, 0, len);
            assertThat(sslTx.protectRtcp(b, 0, len, out, 0)).isEqualTo(n);
            assertThat(Arrays.copyOf(out, n)).isEqualTo(Arrays.copyOf(a, n));
            assertThat(sslRx.unprotectRtcp(out, 0, n)).isEqualTo(len);
            assertThat(Arrays.copyOf(out, len)).isEqualTo(Arrays.copyOf(b, len));
        }
    }

    /**
     * One OpenSSL cipher used in both directions in turn, with a forged packet in between: the IV
     * is set by control only while the direction stays (EVP_CipherInit_ex switches it), and a failed
     * tag check leaves nothing behind for the next packet.
     */
    @Test
    void openSsl_oneCipherAlternatingDirectionsAndAForgery_matchesTheJdk() {
        Assumptions.assumeTrue(LibCrypto.UNAVAILABLE == null, LibCrypto.UNAVAILABLE);
        SessionKeys keys = randomKeys(11);
        PacketCipher ssl = new OpenSslGcmCipher(keys);
        PacketCipher jdk = new GcmCipher(keys);
        byte[] plain = new byte[1600];
        byte[] a = new byte[1600];
        byte[] b = new byte[1600];
        for (int i = 0; i < 40; i++) {
            int len = SrtpContextTest.rtp(plain, 0, 500 + i, 100 + 29 * i, i % 3 == 0);
            int hdr = SrtpContext.rtpHeaderLength(plain, 0, len);
            int n = jdk.protectRtp(plain, 0, hdr, len, a, 0, 0x1234, 0, 500 + i);
            if (i % 4 != 3) {
                assertThat(ssl.protectRtp(plain, 0, hdr, len, b, 0, 0x1234, 0, 500 + i)).isEqualTo(n);
                assertThat(Arrays.copyOf(b, n)).as("packet %d", i).isEqualTo(Arrays.copyOf(a, n));
            }
            if (i % 5 == 2) {
                a[hdr + 3] ^= 1;
                assertThat(ssl.unprotectRtp(a, 0, hdr, n, b, 0, 0x1234, 0, 500 + i)).as("forged %d", i).isFalse();
                a[hdr + 3] ^= 1;
            }
            assertThat(ssl.unprotectRtp(a, 0, hdr, n, b, 0, 0x1234, 0, 500 + i)).as("packet %d", i).isTrue();
            assertThat(Arrays.copyOf(b, len)).isEqualTo(Arrays.copyOf(plain, len));
        }
        assertThat(((OpenSslGcmCipher) ssl).setsIvByControl()).as("OpenSSL 3 took the IV by control").isTrue();
    }

    /** RFC 7714 §9.2: with E=0 the whole packet is AAD; built here by hand with the JDK's GCM. */
    @Test
    void unencryptedSrtcp_isAuthenticatedAsAad() throws Exception {
        SessionKeys keys = randomKeys(3);
        byte[] packet = Arrays.copyOf(GCM_RTCP_PLAIN, GCM_RTCP_PLAIN.length + 20);
        int ssrc = 0x4d617273;
        int index = 17;
        byte[] iv = keys.salt().clone();
        for (int i = 2; i < 12; i++) iv[i] ^= (byte) (i < 6 ? ssrc >>> (8 * (5 - i)) : i < 8 ? 0 : index >>> (8 * (11 - i)));
        javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        c.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(keys.encryptionKey(), "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, iv));
        byte[] eIndex = {0, 0, 0, (byte) index};
        c.updateAAD(packet, 0, GCM_RTCP_PLAIN.length);
        c.updateAAD(eIndex);
        byte[] tag = c.doFinal();
        System.arraycopy(tag, 0, packet, GCM_RTCP_PLAIN.length, 16);
        System.arraycopy(eIndex, 0, packet, GCM_RTCP_PLAIN.length + 16, 4);
        for (Impl impl : Impl.values()) {
            byte[] in = packet.clone();
            assertThat(impl.context(keys).unprotectRtcp(in, 0, in.length)).as(impl.name()).isEqualTo(GCM_RTCP_PLAIN.length);
            assertThat(Arrays.copyOf(in, GCM_RTCP_PLAIN.length)).isEqualTo(GCM_RTCP_PLAIN);
            in = packet.clone();
            in[20] ^= 1;
            assertThat(impl.context(keys).unprotectRtcp(in, 0, in.length)).isEqualTo(SrtpStatus.AUTH_FAILED);
        }
    }

    @ParameterizedTest
    @EnumSource(Impl.class)
    void flippedBit_inHeaderPayloadOrTag_failsAuthentication(Impl impl) {
        SessionKeys keys = randomKeys(11);
        byte[] plain = new byte[1500];
        int len = SrtpContextTest.rtp(plain, 0, 42, 1100, true);
        int n = impl.context(keys).protectRtp(plain.clone(), 0, len, plain, 0);
        for (int bit : List.of(3 * 8 + 1, 20 * 8, 500 * 8 + 7, (n - 1) * 8)) {
            byte[] wire = Arrays.copyOf(plain, n);
            wire[bit >>> 3] ^= (byte) (1 << (bit & 7));
            assertThat(impl.context(keys).unprotectRtp(wire, 0, n)).as("bit %d", bit).isEqualTo(SrtpStatus.AUTH_FAILED);
        }
        byte[] rtcp = Arrays.copyOf(GCM_RTCP_PLAIN, 200);
        int m = impl.context(keys).protectRtcp(rtcp, 0, GCM_RTCP_PLAIN.length);
        rtcp[m - 6] ^= 0x40;
        assertThat(impl.context(keys).unprotectRtcp(rtcp, 0, m)).isEqualTo(SrtpStatus.AUTH_FAILED);
    }

    @ParameterizedTest
    @EnumSource(Impl.class)
    void replayedPacket_isRejected_andAFailedOneDoesNotEnterTheWindow(Impl impl) {
        SessionKeys keys = randomKeys(5);
        SrtpContext tx = impl.context(keys);
        SrtpContext rx = impl.context(keys);
        byte[] plain = new byte[300];
        int len = SrtpContextTest.rtp(plain, 0, 7, 200, false);
        int n = tx.protectRtp(plain, 0, len);
        byte[] wire = Arrays.copyOf(plain, n);
        byte[] forged = wire.clone();
        forged[n - 1] ^= 1;
        assertThat(rx.unprotectRtp(forged, 0, n)).isEqualTo(SrtpStatus.AUTH_FAILED);
        assertThat(rx.unprotectRtp(wire.clone(), 0, n)).isEqualTo(len);
        assertThat(rx.unprotectRtp(wire.clone(), 0, n)).isEqualTo(SrtpStatus.REPLAYED);
    }

    /** A session's contexts (two ciphers each) are freed once nothing references them: no native leak over long runs. */
    @Test
    void droppedContexts_freeTheirOpenSslContexts() throws InterruptedException {
        Assumptions.assumeTrue(LibCrypto.UNAVAILABLE == null, LibCrypto.UNAVAILABLE);
        long freedBefore = OpenSslGcmCipher.FREED.sum();
        for (int i = 0; i < 500; i++) {
            SrtpContext c = Impl.OPENSSL.context(randomKeys(i));
            byte[] b = new byte[100];
            assertThat(c.protectRtp(b, 0, SrtpContextTest.rtp(b, 0, i, 20, false))).isPositive();
        }
        for (int tries = 0; tries < 200 && OpenSslGcmCipher.FREED.sum() - freedBefore < 1000; tries++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(OpenSslGcmCipher.FREED.sum() - freedBefore).isGreaterThanOrEqualTo(1000);
        assertThat(OpenSslGcmCipher.CREATED.sum()).isGreaterThanOrEqualTo(OpenSslGcmCipher.FREED.sum());
    }

    /** -Dparley.noNativeCrypto=true (or no libcrypto): the JDK's GCM, interoperable with OpenSSL's. */
    @Test
    void noNativeCryptoProperty_fallsBackToTheJdk() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-D" + LibCrypto.OFF_PROPERTY + "=true",
                "-cp", System.getProperty("java.class.path"), FallbackProbe.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).contains("native=false", "vector=ok");
    }

    /** Run in a child JVM by the fallback test. */
    static final class FallbackProbe {
        public static void main(String[] args) {
            byte[] buf = Arrays.copyOf(GCM_RTP_PLAIN, 200);
            int n = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, GCM_KEYS, GCM_KEYS).protectRtp(buf, 0, GCM_RTP_PLAIN.length);
            boolean ok = Arrays.equals(Arrays.copyOf(buf, n), GCM_RTP_PROTECTED);
            System.out.println("native=" + GcmChoice.NATIVE + " vector=" + (ok ? "ok" : "wrong"));
        }
    }
}
