package dev.parley.rtc.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class StunMessageTest {
    static final String PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";

    /** RFC 5769 §2.1 sample request. */
    static final byte[] REQUEST = hex("""
            000100582112a442b7e7a701bc34d686fa87dfae802200105354554e20746573
            7420636c69656e74002400046e0001ff80290008932ff9b151263b3600060009
            6576746a3a68367659202020000800149aeaa70cbfd8cb56781ef2b5b2d3f249
            c1b571a280280004e57a3bcf""");

    /** RFC 5769 §2.2 sample IPv4 response. */
    static final byte[] RESPONSE_V4 = hex("""
            0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563
            746f7220002000080001a147e112a643000800142b91f599fd9e90c38c7489f9
            2af9ba53f06be7d780280004c07d4c96""");

    /** RFC 5769 §2.3 sample IPv6 response. */
    static final byte[] RESPONSE_V6 = hex("""
            010100482112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563
            746f7220002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d900080014
            a382954e4be67bf11784c97c8292c275bfe3ed4180280004c8fb0b4c""");

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }

    @Test
    void rfc5769_sampleRequest_parsesAndVerifies() {
        StunMessage m = new StunMessage().parse(REQUEST, 0, REQUEST.length);
        assertThat(m.isBindingRequest()).isTrue();
        assertThat(m.username()).isEqualTo("evtj:h6vY");
        assertThat(m.usernameStartsWith("evtj".getBytes())).isTrue();
        assertThat(m.usernameStartsWith("evt".getBytes())).isFalse();
        assertThat(m.software()).isEqualTo("STUN test client");
        assertThat(m.priority()).isEqualTo(0x6e0001ffL);
        assertThat(m.iceControlled()).isTrue();
        assertThat(m.iceControlling()).isFalse();
        assertThat(m.tieBreaker()).isEqualTo(0x932ff9b151263b36L);
        assertThat(m.useCandidate()).isFalse();
        assertThat(StunIntegrity.shortTerm(PASSWORD).verify(m)).isTrue();
        assertThat(StunIntegrity.shortTerm("wrong").verify(m)).isFalse();
        assertThat(StunIntegrity.verifyFingerprint(m, new CRC32())).isTrue();
    }

    @Test
    void rfc5769_ipv4Response_xorMappedAddress() throws Exception {
        StunMessage m = new StunMessage().parse(RESPONSE_V4, 0, RESPONSE_V4.length);
        assertThat(m.isBindingSuccess()).isTrue();
        assertThat(m.xorMappedAddress()).isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853));
        assertThat(m.xorMappedIpv4()).isEqualTo(0xC0000201);
        assertThat(StunIntegrity.shortTerm(PASSWORD).verify(m)).isTrue();
        assertThat(StunIntegrity.verifyFingerprint(m, new CRC32())).isTrue();
    }

    @Test
    void rfc5769_ipv6Response_xorMappedAddress() throws Exception {
        StunMessage m = new StunMessage().parse(RESPONSE_V6, 0, RESPONSE_V6.length);
        assertThat(m.xorMappedAddress()).isEqualTo(
                new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853));
        assertThat(StunIntegrity.shortTerm(PASSWORD).verify(m)).isTrue();
        assertThat(StunIntegrity.verifyFingerprint(m, new CRC32())).isTrue();
    }

    @Test
    void rfc5769_writerReproducesVectorsByteForByte() throws Exception {
        byte[] tx = java.util.Arrays.copyOfRange(REQUEST, 8, 20);
        StunWriter w = new StunWriter((byte) 0x20);
        StunIntegrity key = StunIntegrity.shortTerm(PASSWORD);

        byte[] out = new byte[200];
        int n = w.start(out, 0, Stun.BINDING_REQUEST, tx, 0).software("STUN test client").priority(0x6e0001ffL)
                .iceControlled(0x932ff9b151263b36L).username("evtj:h6vY").messageIntegrity(key).fingerprint();
        assertThat(java.util.Arrays.copyOf(out, n)).isEqualTo(REQUEST);

        n = w.start(out, 0, Stun.BINDING_SUCCESS, tx, 0).software("test vector")
                .xorMappedAddress(InetAddress.getByName("192.0.2.1"), 32853).messageIntegrity(key).fingerprint();
        assertThat(java.util.Arrays.copyOf(out, n)).isEqualTo(RESPONSE_V4);

        // writes at a non-zero offset too
        n = w.start(out, 7, Stun.BINDING_SUCCESS, tx, 0).software("test vector")
                .xorMappedAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853)
                .messageIntegrity(key).fingerprint();
        assertThat(java.util.Arrays.copyOfRange(out, 7, 7 + n)).isEqualTo(RESPONSE_V6);
    }

    @Test
    void errorResponse_roundTrip() {
        byte[] tx = new byte[12];
        new Random(1).nextBytes(tx);
        byte[] out = new byte[100];
        int n = new StunWriter().start(out, 0, Stun.BINDING_ERROR, tx, 0)
                .errorCode(Stun.ERROR_ROLE_CONFLICT, "Role Conflict").fingerprint();
        StunMessage m = new StunMessage().parse(out, 0, n);
        assertThat(m.isBindingError()).isTrue();
        assertThat(m.errorCode()).isEqualTo(487);
        assertThat(m.errorReason()).isEqualTo("Role Conflict");
        assertThat(m.hasTransactionId(tx, 0)).isTrue();
        assertThat(StunIntegrity.verifyFingerprint(m, new CRC32())).isTrue();
    }

    @Test
    void useCandidateAndControlling_roundTrip() {
        byte[] tx = new byte[12];
        byte[] out = new byte[100];
        int n = new StunWriter().start(out, 0, Stun.BINDING_REQUEST, tx, 0).username("a:b").priority(42)
                .useCandidate().iceControlling(-5).messageIntegrity(StunIntegrity.shortTerm("pw")).fingerprint();
        StunMessage m = new StunMessage().parse(out, 0, n);
        assertThat(m.useCandidate()).isTrue();
        assertThat(m.iceControlling()).isTrue();
        assertThat(m.tieBreaker()).isEqualTo(-5);
        assertThat(m.priority()).isEqualTo(42);
        assertThat(StunIntegrity.shortTerm("pw").verify(m)).isTrue();
    }

    @Test
    void tamperedMessage_failsIntegrityAndFingerprint() {
        byte[] copy = REQUEST.clone();
        copy[30] ^= 1; // inside SOFTWARE
        StunMessage m = new StunMessage().parse(copy, 0, copy.length);
        assertThat(StunIntegrity.shortTerm(PASSWORD).verify(m)).isFalse();
        assertThat(StunIntegrity.verifyFingerprint(m, new CRC32())).isFalse();
    }

    @Test
    void malformed_rejectedWithClearException() {
        StunMessage m = new StunMessage();
        assertThatThrownBy(() -> m.parse(REQUEST, 0, 19)).isInstanceOf(StunFormatException.class)
                .hasMessageContaining("shorter");
        assertThatThrownBy(() -> m.parse(REQUEST, 0, REQUEST.length - 4)).isInstanceOf(StunFormatException.class)
                .hasMessageContaining("does not match");
        byte[] noCookie = REQUEST.clone();
        noCookie[5] = 0;
        assertThatThrownBy(() -> m.parse(noCookie, 0, noCookie.length)).hasMessageContaining("cookie");
        byte[] overrun = REQUEST.clone();
        overrun[22] = 0x7f; // SOFTWARE length
        assertThatThrownBy(() -> m.parse(overrun, 0, overrun.length)).hasMessageContaining("overruns");
        byte[] badMi = REQUEST.clone();
        badMi[20 + 20 + 8 + 12 + 16 + 3] = 0x10; // MESSAGE-INTEGRITY length field
        assertThatThrownBy(() -> m.parse(badMi, 0, badMi.length)).isInstanceOf(StunFormatException.class);
        assertThatThrownBy(() -> m.parse(REQUEST, 10, REQUEST.length)).hasMessageContaining("bounds");
    }

    @Test
    void randomBytes_neverCrash() {
        Random r = new Random(7);
        StunMessage m = new StunMessage();
        byte[] b = new byte[256];
        for (int i = 0; i < 20_000; i++) {
            int len = r.nextInt(b.length);
            r.nextBytes(b);
            if (r.nextBoolean() && len >= 20) { // make many of them look plausible
                b[0] = 0; b[1] = 1;
                b[2] = (byte) ((len - 20) >> 8); b[3] = (byte) ((len - 20) & 0xfc);
                Stun.writeInt(b, 4, Stun.MAGIC_COOKIE);
                len = 20 + (len - 20 & 0xfffc);
            }
            try {
                m.parse(b, 0, len);
                if (m.hasXorMappedAddress()) m.xorMappedAddress();
                m.username();
                StunIntegrity.verifyFingerprint(m, new CRC32());
            } catch (StunFormatException expected) {
                // fine
            }
        }
    }
}
