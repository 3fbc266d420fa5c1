package dev.parley.rtc.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SrtpContextTest {
    private static final int SSRC = 0x11223344;

    static SrtpContext[] pair(SrtpProfile p) {
        Random r = new Random(p.ordinal());
        byte[] key = new byte[p.keyLength()];
        byte[] salt = new byte[p.saltLength()];
        r.nextBytes(key);
        r.nextBytes(salt);
        return new SrtpContext[] {new SrtpContext(p, key, salt), new SrtpContext(p, key, salt)};
    }

    static int rtp(byte[] b, int off, int seq, int payloadLen, boolean withExtension) {
        b[off] = (byte) (withExtension ? 0x91 : 0x80); // V=2, X, CC=1 when extension
        b[off + 1] = 96;
        b[off + 2] = (byte) (seq >> 8);
        b[off + 3] = (byte) seq;
        PacketCipherAccess.writeInt(b, off + 4, seq * 3000);
        PacketCipherAccess.writeInt(b, off + 8, SSRC);
        int h = 12;
        if (withExtension) {
            PacketCipherAccess.writeInt(b, off + h, 0xCAFE);
            h += 4;
            b[off + h] = (byte) 0xBE; b[off + h + 1] = (byte) 0xDE; b[off + h + 2] = 0; b[off + h + 3] = 1;
            PacketCipherAccess.writeInt(b, off + h + 4, 0x10AA0000);
            h += 8;
        }
        for (int i = 0; i < payloadLen; i++) b[off + h + i] = (byte) (i * 7 + seq);
        return h + payloadLen;
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void roundTrip_inPlaceAndIntoBuffer(SrtpProfile p) {
        SrtpContext[] c = pair(p);
        byte[] plain = new byte[1500];
        byte[] wire = new byte[1500];
        byte[] out = new byte[1500];
        for (int seq = 100; seq < 200; seq++) {
            int len = rtp(plain, 0, seq, 17 + seq * 5, seq % 2 == 0);
            int n = c[0].protectRtp(plain, 0, len, wire, 10);
            assertThat(n).isEqualTo(len + p.rtpOverhead());
            assertThat(Arrays.copyOfRange(wire, 10 + 24, 10 + len)).isNotEqualTo(Arrays.copyOfRange(plain, 24, len));
            int m = (seq % 3 == 0) ? c[1].unprotectRtp(wire, 10, n) : c[1].unprotectRtp(wire, 10, n, out, 0);
            assertThat(m).isEqualTo(len);
            byte[] got = seq % 3 == 0 ? Arrays.copyOfRange(wire, 10, 10 + m) : Arrays.copyOf(out, m);
            assertThat(got).isEqualTo(Arrays.copyOf(plain, len));
        }
    }

    /** Pitfall 4: a plain retransmission re-protects the same index and bytes; output must be identical. */
    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void identicalRetransmission_protectsToIdenticalBytes(SrtpProfile p) {
        SrtpContext[] c = pair(p);
        byte[] plain = new byte[200];
        int len = rtp(plain, 0, 77, 90, false);
        byte[] a = new byte[300];
        byte[] b = new byte[300];
        int n1 = c[0].protectRtp(plain, 0, len, a, 0);
        int n2 = c[0].protectRtp(plain, 0, len, b, 0); // same seq again, consecutively
        assertThat(Arrays.copyOf(b, n2)).isEqualTo(Arrays.copyOf(a, n1));
        assertThat(c[1].unprotectRtp(a, 0, n1)).isEqualTo(len);
    }

    /**
     * Pitfall 4 under GCM: the same index with another header (a new transport-wide sequence
     * number in the extension) would reuse the nonce with other AAD; protect refuses it. AES-CM
     * reuses only its keystream over the same payload, which reveals nothing, and goes on.
     */
    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void sameIndexWithOtherBytes_isRefusedOnlyUnderGcm(SrtpProfile p) {
        SrtpContext[] c = pair(p);
        byte[] plain = new byte[200];
        byte[] wire = new byte[300];
        int len = rtp(plain, 0, 77, 90, true);
        assertThat(c[0].protectRtp(plain, 0, len, wire, 0)).isEqualTo(len + p.rtpOverhead());
        assertThat(c[0].protectRtp(plain, 0, len, wire, 0)).isEqualTo(len + p.rtpOverhead());
        for (int seq = 78; seq < 90; seq++) c[0].protectRtp(plain, 0, rtp(plain, 0, seq, 90, true), wire, 0);
        len = rtp(plain, 0, 77, 90, true);
        plain[len - 90 - 1] ^= 0x11; // the extension's last byte: a different transport-wide sequence number
        int again = c[0].protectRtp(plain, 0, len, wire, 0);
        if (p == SrtpProfile.AEAD_AES_128_GCM) {
            assertThat(again).isEqualTo(SrtpStatus.NONCE_REUSE);
            assertThat(SrtpStatus.describe(again)).contains("GCM");
        } else {
            assertThat(again).isEqualTo(len + p.rtpOverhead());
        }
    }

    @org.junit.jupiter.api.Test
    void gcm_indexOlderThanTheRememberedTags_isRefused_newerOnesAndFirstSendsOfSkippedOnesAreNot() {
        SrtpContext[] c = pair(SrtpProfile.AEAD_AES_128_GCM);
        byte[] plain = new byte[200];
        byte[] wire = new byte[300];
        for (int seq = 0; seq <= SrtpContext.SENT_TAGS + 10; seq++) {
            if (seq == SrtpContext.SENT_TAGS) continue;
            assertThat(c[0].protectRtp(plain, 0, rtp(plain, 0, seq, 40, false), wire, 0)).isPositive();
        }
        assertThat(c[0].protectRtp(plain, 0, rtp(plain, 0, SrtpContext.SENT_TAGS, 40, false), wire, 0)).isPositive();
        assertThat(c[0].protectRtp(plain, 0, rtp(plain, 0, 5, 40, false), wire, 0)).isEqualTo(SrtpStatus.NONCE_REUSE);
        assertThat(c[0].protectRtp(plain, 0, rtp(plain, 0, 20, 40, false), wire, 0)).isPositive();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void replayedPacket_dropped(SrtpProfile p) {
        SrtpContext[] c = pair(p);
        byte[] b = new byte[200];
        int len = rtp(b, 0, 5, 50, false);
        int n = c[0].protectRtp(b, 0, len);
        byte[] copy = Arrays.copyOf(b, n);
        assertThat(c[1].unprotectRtp(b, 0, n)).isEqualTo(len);
        assertThat(c[1].unprotectRtp(copy.clone(), 0, n)).isEqualTo(SrtpStatus.REPLAYED);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void replayWindow_acceptsReorderWithin512_rejectsOlder(SrtpProfile p) {
        SrtpContext[] c = pair(p);
        byte[][] packets = new byte[700][];
        for (int seq = 0; seq < 700; seq++) {
            byte[] b = new byte[100];
            int n = c[0].protectRtp(b, 0, rtp(b, 0, seq, 20, false));
            packets[seq] = Arrays.copyOf(b, n);
        }
        assertThat(c[1].unprotectRtp(packets[0].clone(), 0, packets[0].length)).isPositive();
        assertThat(c[1].unprotectRtp(packets[600].clone(), 0, packets[600].length)).isPositive();
        // 599 and 100 are within 512 of 600 and unseen: accepted once
        assertThat(c[1].unprotectRtp(packets[599].clone(), 0, packets[599].length)).isPositive();
        assertThat(c[1].unprotectRtp(packets[100].clone(), 0, packets[100].length)).isPositive();
        assertThat(c[1].unprotectRtp(packets[100].clone(), 0, packets[100].length)).isEqualTo(SrtpStatus.REPLAYED);
        // 88 is 512 behind 600: too old
        assertThat(c[1].unprotectRtp(packets[88].clone(), 0, packets[88].length)).isEqualTo(SrtpStatus.REPLAYED);
        assertThat(c[1].unprotectRtp(packets[89].clone(), 0, packets[89].length)).isPositive();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rolloverCounter_advancesAcross65535To0(SrtpProfile p) {
        SrtpContext[] c = pair(p);
        byte[] b = new byte[200];
        int received = 0;
        for (int i = 0; i < 40_000 * 2; i += 1) {
            int seq = (30_000 + i) & 0xFFFF;
            int len = rtp(b, 0, seq, 30, false);
            int n = c[0].protectRtp(b, 0, len);
            if (i % 97 == 5) continue; // some loss does not confuse the estimate
            int m = c[1].unprotectRtp(b, 0, n);
            assertThat(m).as("seq %d (i=%d)", seq, i).isEqualTo(len);
            received++;
        }
        assertThat(received).isGreaterThan(70_000);
        // a packet whose index used ROC 0 but arrives after the wrap, sent with the sender's ROC 1: the
        // same bytes under a different ROC must not authenticate
        SrtpContext[] d = pair(p);
        int len = rtp(b, 0, 65535, 30, false);
        d[0].protectRtp(b, 0, len); // ROC 0, seq 65535
        len = rtp(b, 0, 0, 30, false);
        int n = d[0].protectRtp(b, 0, len); // ROC 1, seq 0
        SrtpContext fresh = pair(p)[1]; // receiver that believes ROC 0
        assertThat(fresh.unprotectRtp(b, 0, n)).isEqualTo(SrtpStatus.AUTH_FAILED);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void tamperedTag_orPayload_rejected(SrtpProfile p) {
        SrtpContext[] c = pair(p);
        byte[] b = new byte[200];
        int len = rtp(b, 0, 1, 60, false);
        int n = c[0].protectRtp(b, 0, len);
        for (int pos : new int[] {n - 1, 20, 2}) {
            byte[] t = Arrays.copyOf(b, n);
            t[pos] ^= 0x40;
            assertThat(c[1].unprotectRtp(t, 0, n)).as("flip at %d", pos).isEqualTo(SrtpStatus.AUTH_FAILED);
        }
        assertThat(c[1].unprotectRtp(b, 0, n)).isEqualTo(len); // the genuine one still works afterwards
        assertThat(c[1].unprotectRtp(b, 0, 5)).isEqualTo(SrtpStatus.MALFORMED);
        byte[] junk = new byte[40];
        assertThat(c[1].unprotectRtp(junk, 0, 40)).isEqualTo(SrtpStatus.MALFORMED);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtcp_roundTrip_replay_and_tamper(SrtpProfile p) {
        SrtpContext[] c = pair(p);
        byte[] b = new byte[200];
        for (int k = 0; k < 10; k++) {
            // a receiver report with one block
            b[0] = (byte) 0x81; b[1] = (byte) 201; b[2] = 0; b[3] = 7;
            PacketCipherAccess.writeInt(b, 4, SSRC);
            for (int i = 8; i < 32; i++) b[i] = (byte) (i + k);
            byte[] plain = Arrays.copyOf(b, 32);
            int n = c[0].protectRtcp(b, 0, 32);
            assertThat(n).isEqualTo(32 + p.rtcpOverhead());
            byte[] wire = Arrays.copyOf(b, n);
            byte[] tampered = wire.clone();
            tampered[10] ^= 1;
            assertThat(c[1].unprotectRtcp(tampered, 0, n)).isEqualTo(SrtpStatus.AUTH_FAILED);
            assertThat(c[1].unprotectRtcp(b, 0, n)).isEqualTo(32);
            assertThat(Arrays.copyOf(b, 32)).isEqualTo(plain);
            assertThat(c[1].unprotectRtcp(wire, 0, n)).isEqualTo(SrtpStatus.REPLAYED);
        }
    }
}
