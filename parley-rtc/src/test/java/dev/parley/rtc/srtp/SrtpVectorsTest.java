package dev.parley.rtc.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Known-answer tests: RFC 3711 Appendix B, libsrtp's reference packet, RFC 7714 §16/§17. */
class SrtpVectorsTest {
    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }

    static final byte[] B3_MASTER_KEY = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
    static final byte[] B3_MASTER_SALT = hex("0EC675AD498AFEEBB6960B3AABE6");

    @Test
    void rfc3711_B3_keyDerivation() {
        assertThat(SrtpKdf.derive(B3_MASTER_KEY, B3_MASTER_SALT, 0, 16)).isEqualTo(hex("C61E7A93744F39EE10734AFE3FF7A087"));
        assertThat(SrtpKdf.derive(B3_MASTER_KEY, B3_MASTER_SALT, 2, 14)).isEqualTo(hex("30CBBC08863D8C85D49DB34A9AE1"));
        assertThat(SrtpKdf.derive(B3_MASTER_KEY, B3_MASTER_SALT, 1, 20))
                .isEqualTo(hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"));
        assertThat(SrtpKdf.derive(B3_MASTER_KEY, B3_MASTER_SALT, 1, 94)).isEqualTo(hex("""
                CEBE321F6FF7716B6FD4AB49AF256A156D38BAA48F0A0ACF3C34E2359E6CDBCE
                E049646C43D9327AD175578EF72270986371C10C9A369AC2F94A8C5FBCDDDC25
                6D6E919A48B610EF17C2041E474035766B68642C59BBFC2F34DB60DBDFB2"""));
    }

    @Test
    void rfc3711_B2_aesCmKeystream() {
        AesCtr ctr = new AesCtr(hex("2B7E151628AED2A6ABF7158809CF4F3C"));
        byte[] iv = hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        int blocks = 0xFF02;
        byte[] ks = new byte[blocks * 16];
        ctr.keystream(iv, ks, 0, ks.length);
        assertThat(block(ks, 0x0000)).isEqualTo(hex("E03EAD0935C95E80E166B16DD92B4EB4"));
        assertThat(block(ks, 0x0001)).isEqualTo(hex("D23513162B02D0F72A43A2FE4A5F97AB"));
        assertThat(block(ks, 0x0002)).isEqualTo(hex("41E95B3BB0A2E8DD477901E4FCA894C0"));
        assertThat(block(ks, 0xFEFF)).isEqualTo(hex("EC8CDF7398607CB0F2D21675EA9EA1E4"));
        assertThat(block(ks, 0xFF00)).isEqualTo(hex("362B7C3C6773516318A077D7FC5073AE"));
        assertThat(block(ks, 0xFF01)).isEqualTo(hex("6A2CC3787889374FBEB4C81B17BA6C44"));
    }

    private static byte[] block(byte[] ks, int i) {
        return Arrays.copyOfRange(ks, i * 16, i * 16 + 16);
    }

    static final byte[] CM_PLAIN = hex("800f1234decafbadcafebabeabababababababababababababababab");
    static final byte[] CM_PROTECTED = hex("800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb");
    static final byte[] CM_RTCP_PLAIN = hex("81c8000bcafebabeabababababababababababababababab");
    static final byte[] CM_RTCP_PROTECTED =
            hex("81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001993e08cd54d6c1230798");

    @Test
    void aesCm_referencePacket_protectAndUnprotect() {
        SrtpContext tx = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, B3_MASTER_KEY, B3_MASTER_SALT);
        byte[] buf = Arrays.copyOf(CM_PLAIN, 100);
        int n = tx.protectRtp(buf, 0, CM_PLAIN.length);
        assertThat(Arrays.copyOf(buf, n)).isEqualTo(CM_PROTECTED);

        SrtpContext rx = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, B3_MASTER_KEY, B3_MASTER_SALT);
        byte[] in = CM_PROTECTED.clone();
        assertThat(rx.unprotectRtp(in, 0, in.length)).isEqualTo(CM_PLAIN.length);
        assertThat(Arrays.copyOf(in, CM_PLAIN.length)).isEqualTo(CM_PLAIN);
    }

    @Test
    void aesCm_referenceRtcp_protectAndUnprotect() {
        SrtpContext tx = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, B3_MASTER_KEY, B3_MASTER_SALT);
        tx.setNextRtcpIndex(0xcafebabe, 1);
        byte[] out = new byte[100];
        int n = tx.protectRtcp(CM_RTCP_PLAIN, 0, CM_RTCP_PLAIN.length, out, 5);
        assertThat(Arrays.copyOfRange(out, 5, 5 + n)).isEqualTo(CM_RTCP_PROTECTED);

        SrtpContext rx = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, B3_MASTER_KEY, B3_MASTER_SALT);
        byte[] plain = new byte[100];
        int m = rx.unprotectRtcp(CM_RTCP_PROTECTED, 0, CM_RTCP_PROTECTED.length, plain, 3);
        assertThat(m).isEqualTo(CM_RTCP_PLAIN.length);
        assertThat(Arrays.copyOfRange(plain, 3, 3 + m)).isEqualTo(CM_RTCP_PLAIN);
        assertThat(rx.unprotectRtcp(CM_RTCP_PROTECTED.clone(), 0, CM_RTCP_PROTECTED.length)).isEqualTo(SrtpStatus.REPLAYED);
    }

    static final SessionKeys GCM_KEYS =
            new SessionKeys(hex("000102030405060708090a0b0c0d0e0f"), null, hex("517569642070726f2071756f"));
    static final byte[] GCM_RTP_PLAIN = hex("""
            8040f17b8041f8d35501a0b247616c6c696120657374206f6d6e697320646976
            69736120696e207061727465732074726573""");
    static final byte[] GCM_RTP_PROTECTED = hex("""
            8040f17b8041f8d35501a0b2f24de3a3fb34de6cacba861c9d7e4bcabe633bd5
            0d294e6f42a5f47a51c7d19b36de3adf8833899d7f27beb16a9152cf765ee439
            0cce""");
    static final byte[] GCM_RTCP_PLAIN = hex("""
            81c8000d4d6172734e5450314e545032525450200000042a0000e9304c756e61
            deadbeefdeadbeefdeadbeefdeadbeefdeadbeef""");
    static final byte[] GCM_RTCP_PROTECTED = hex("""
            81c8000d4d61727363e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32d
            c676a5f1730d6fda4ce09b4686303ded0bb9275bc84aa45896cf4d2fc5abf872
            45d9eade800005d4""");

    @Test
    void rfc7714_16_gcmRtp_encryptAndDecrypt() {
        SrtpContext tx = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, GCM_KEYS, GCM_KEYS);
        byte[] buf = Arrays.copyOf(GCM_RTP_PLAIN, 200);
        int n = tx.protectRtp(buf, 0, GCM_RTP_PLAIN.length);
        assertThat(Arrays.copyOf(buf, n)).isEqualTo(GCM_RTP_PROTECTED);

        SrtpContext rx = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, GCM_KEYS, GCM_KEYS);
        byte[] in = GCM_RTP_PROTECTED.clone();
        assertThat(rx.unprotectRtp(in, 0, in.length)).isEqualTo(GCM_RTP_PLAIN.length);
        assertThat(Arrays.copyOf(in, GCM_RTP_PLAIN.length)).isEqualTo(GCM_RTP_PLAIN);
    }

    @Test
    void rfc7714_17_gcmRtcp_encryptAndDecrypt() {
        assertThat(GCM_RTCP_PLAIN).hasSize(52);
        SrtpContext tx = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, GCM_KEYS, GCM_KEYS);
        tx.setNextRtcpIndex(0x4d617273, 0x5d4);
        byte[] buf = Arrays.copyOf(GCM_RTCP_PLAIN, 200);
        int n = tx.protectRtcp(buf, 0, GCM_RTCP_PLAIN.length);
        assertThat(Arrays.copyOf(buf, n)).isEqualTo(GCM_RTCP_PROTECTED);

        SrtpContext rx = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, GCM_KEYS, GCM_KEYS);
        byte[] in = GCM_RTCP_PROTECTED.clone();
        assertThat(rx.unprotectRtcp(in, 0, in.length)).isEqualTo(GCM_RTCP_PLAIN.length);
        assertThat(Arrays.copyOf(in, GCM_RTCP_PLAIN.length)).isEqualTo(GCM_RTCP_PLAIN);
    }
}
