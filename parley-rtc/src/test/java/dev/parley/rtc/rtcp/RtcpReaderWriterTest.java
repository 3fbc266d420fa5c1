package dev.parley.rtc.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RtcpReaderWriterTest {
    private final byte[] buf = new byte[1500];

    private RecordingHandler read(byte[] b, int off, int len, int expectedPackets) {
        RecordingHandler h = new RecordingHandler();
        assertThat(RtcpReader.read(b, off, len, h)).isEqualTo(expectedPackets);
        return h;
    }

    @Test
    void MD9_senderReportWithReportBlocksRoundTrips() {
        int n = RtcpWriter.senderReport(buf, 0, 0xF0000001L, 0xE1A2B3C4_D5E6F708L, 0xFFFFFFFEL, 1234, 99999);
        assertThat(n).isEqualTo(28);
        n = RtcpWriter.addReportBlock(buf, 0, 42, 25, -3, 0x1_0005L, 17, 0xABCDEF01L, 65536);
        assertThat(n).isEqualTo(52);
        n = RtcpWriter.addReportBlock(buf, 0, 43, 255, 0x7FFFFF, 7, 0, 0, 0);
        assertThat(n).isEqualTo(76);
        assertThat(buf[0] & 0x1F).isEqualTo(2);

        RecordingHandler h = read(buf, 0, n, 1);
        assertThat(h.events).containsExactly(
                "SR 4026531841 ntp=e1a2b3c4d5e6f708 rtp=4294967294 p=1234 o=99999",
                "RB 4026531841->42 f=25 c=-3 h=65541 j=17 lsr=2882400001 dlsr=65536",
                "RB 4026531841->43 f=255 c=8388607 h=7 j=0 lsr=0 dlsr=0");
    }

    @Test
    void receiverReportRoundTripsAndClampsCumulativeLoss() {
        int n = RtcpWriter.receiverReport(buf, 0, 1);
        n = RtcpWriter.addReportBlock(buf, 0, 2, 3, -10_000_000, 4, 5, 6, 7);
        RecordingHandler h = read(buf, 0, n, 1);
        assertThat(h.events).containsExactly("RR 1", "RB 1->2 f=3 c=-8388608 h=4 j=5 lsr=6 dlsr=7");
    }

    @Test
    void sdesCnameOfEveryLengthIsPaddedCorrectly() {
        for (int len = 0; len <= 9; len++) {
            String cname = "abcdefghi".substring(0, len);
            Arrays.fill(buf, (byte) 0x55);
            int n = RtcpWriter.sdesCname(buf, 0, 77, cname.getBytes(StandardCharsets.US_ASCII));
            assertThat(n % 4).isZero();
            assertThat(n).isGreaterThanOrEqualTo(10 + len + 1);
            assertThat(read(buf, 0, n, 1).events).containsExactly("CNAME 77 " + cname);
        }
    }

    @Test
    void MD11_feedbackMessagesRoundTrip() {
        int off = 0;
        off += RtcpWriter.pli(buf, off, 1, 2);
        off += RtcpWriter.fir(buf, off, 1, 3, 200);
        off += RtcpWriter.nack(buf, off, 1, 2, 1000, 0b1000_0000_0000_0101);
        off += RtcpWriter.bye(buf, off, 9);
        RecordingHandler h = read(buf, 0, off, 4);
        assertThat(h.events).containsExactly("PLI 1->2", "FIR 1->3 seq=200", "NACK 1->2 pid=1000 blp=1000000000000101",
                "BYE 9");
    }

    @Test
    void MD13_nackListIsPackedIntoPidAndBitmaskAcrossWrap() {
        int[] seqs = {65534, 65535, 0, 15, 16, 40};
        int n = RtcpWriter.nack(buf, 0, 5, 6, seqs, seqs.length);
        assertThat(n).isEqualTo(12 + 3 * 4);
        RecordingHandler h = read(buf, 0, n, 1);
        // 65534 covers 65535 (bit 0) and 0 (bit 1); 15 is 17 after 65534, beyond 16 bits: new entry
        assertThat(h.events).containsExactly("NACK 5->6 pid=65534 blp=11", "NACK 5->6 pid=15 blp=1",
                "NACK 5->6 pid=40 blp=0");
    }

    @Test
    void MD9_rembUsesMantissaAndExponent() {
        int n = RtcpWriter.remb(buf, 0, 0x01020304L, 8_927_168L, 0xAABBCCDDL);
        assertThat(n).isEqualTo(24);
        assertThat(Arrays.copyOf(buf, n)).isEqualTo(new byte[] {
            (byte) 0x8F, (byte) 206, 0, 5, 1, 2, 3, 4, 0, 0, 0, 0, 'R', 'E', 'M', 'B',
            1, 0x1A, 0x20, (byte) 0xDF, (byte) 0xAA, (byte) 0xBB, (byte) 0xCC, (byte) 0xDD});
        assertThat(read(buf, 0, n, 1).events).containsExactly("REMB 16909060 8927168 2864434397");

        long[] ssrcs = {1, 2, 3};
        n = RtcpWriter.remb(buf, 0, 9, (1L << 30) + 12345, ssrcs, 3);
        RecordingHandler h = read(buf, 0, n, 1);
        // rounded down to 18 significant bits, never above the requested value
        long announced = Long.parseLong(h.events.get(0).split(" ")[2]);
        assertThat(announced).isLessThanOrEqualTo((1L << 30) + 12345).isGreaterThan((1L << 30) - (1L << 13));
        assertThat(h.events.get(0)).endsWith(" 1 2 3");
    }

    @Test
    void handBuiltChromeStyleCompoundIsParsed() {
        // RR (no blocks) + REMB + NACK, as a receiver typically sends them
        byte[] b = {
            (byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 1,
            (byte) 0x8F, (byte) 206, 0, 5, 0, 0, 0, 1, 0, 0, 0, 0, 'R', 'E', 'M', 'B', 1, 0x10, 0x00, 0x01, 0, 0, 0, 2,
            (byte) 0x81, (byte) 205, 0, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0x03, (byte) 0xE8, 0, 0,
        };
        RecordingHandler h = read(b, 0, b.length, 3);
        assertThat(h.events).containsExactly("RR 1", "REMB 1 " + (1L << 4) + " 2", "NACK 1->2 pid=1000 blp=0");
    }

    @Test
    void unknownTypesAreSkippedAndLaterPacketsStillDelivered() {
        byte[] b = {
            (byte) 0x80, (byte) 207, 0, 2, 0, 0, 0, 1, 4, 0, 0, 0,            // XR
            (byte) 0x8F, (byte) 205, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2,            // transport-cc (fmt 15)
            (byte) 0x8F, (byte) 206, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2,            // AFB that is not REMB
            (byte) 0x81, (byte) 206, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2,            // PLI
        };
        RecordingHandler h = read(b, 0, b.length, 4);
        assertThat(h.events).containsExactly("OTHER 207/0 len=12", "OTHER 205/15 len=12", "OTHER 206/15 len=12",
                "PLI 1->2");
    }

    @Test
    void paddedPacketIsReadWithoutItsPadding() {
        byte[] b = {(byte) 0xA1, (byte) 206, 0, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 4};
        assertThat(read(b, 0, b.length, 1).events).containsExactly("PLI 1->2");
        byte[] badPad = b.clone();
        badPad[15] = 0;
        assertThat(RtcpReader.read(badPad, 0, badPad.length, new RecordingHandler())).isEqualTo(RtcpReader.MALFORMED);
    }

    @Test
    void writerRefusesWhenBufferIsTooSmall() {
        byte[] small = new byte[20];
        assertThat(RtcpWriter.senderReport(small, 0, 1, 2, 3, 4, 5)).isEqualTo(-1);
        assertThat(RtcpWriter.receiverReport(small, 0, 1)).isEqualTo(8);
        assertThat(RtcpWriter.addReportBlock(small, 0, 1, 2, 3, 4, 5, 6, 7)).isEqualTo(-1);
        assertThat(RtcpWriter.remb(small, 0, 1, 2, 3)).isEqualTo(-1);
        assertThat(RtcpWriter.nack(small, 0, 1, 2, new int[] {1, 100, 200}, 3)).isEqualTo(-1);
        assertThat(RtcpWriter.pli(small, 10, 1, 2)).isEqualTo(-1);
        assertThat(RtcpWriter.sdesCname(small, 0, 1, new byte[20])).isEqualTo(-1);
    }

    private int buildCompound() {
        int off = 0;
        off += RtcpWriter.senderReport(buf, off, 1, 2, 3, 4, 5);
        RtcpWriter.addReportBlock(buf, 0, 6, 7, 8, 9, 10, 11, 12);
        off += 24;
        off += RtcpWriter.sdesCname(buf, off, 1, "cname-x".getBytes(StandardCharsets.US_ASCII));
        off += RtcpWriter.remb(buf, off, 1, 500_000, 2);
        off += RtcpWriter.nack(buf, off, 1, 2, new int[] {10, 12, 50}, 3);
        off += RtcpWriter.fir(buf, off, 1, 2, 3);
        return off;
    }

    @Test
    void everyTruncationIsRejectedOrReadsOnlyWholePackets() {
        int full = buildCompound();
        assertThat(read(buf, 0, full, 5).events).hasSize(7);
        for (int n = 0; n < full; n++) {
            int r = RtcpReader.read(Arrays.copyOf(buf, n), 0, n, new RecordingHandler());
            assertThat(r).as("prefix %d", n).isIn(RtcpReader.MALFORMED, 1, 2, 3, 4);
            if (r != RtcpReader.MALFORMED) {
                assertThat(RtcpReader.isValid(buf, 0, n)).isTrue();
            }
        }
        assertThat(RtcpReader.read(buf, 0, 0, new RecordingHandler())).isEqualTo(RtcpReader.MALFORMED);
    }

    @Test
    void corruptedFieldsAreRejectedNotThrown() {
        int full = buildCompound();
        byte[] wrongVersion = Arrays.copyOf(buf, full);
        wrongVersion[0] = 0x40;
        assertThat(RtcpReader.read(wrongVersion, 0, full, new RecordingHandler())).isEqualTo(RtcpReader.MALFORMED);
        byte[] tooManyBlocks = Arrays.copyOf(buf, full);
        tooManyBlocks[0] = (byte) 0x85; // SR claims 5 report blocks
        assertThat(RtcpReader.read(tooManyBlocks, 0, full, new RecordingHandler())).isEqualTo(RtcpReader.MALFORMED);
        byte[] longLength = Arrays.copyOf(buf, full);
        longLength[3] = 100;
        assertThat(RtcpReader.read(longLength, 0, full, new RecordingHandler())).isEqualTo(RtcpReader.MALFORMED);
        byte[] rtp = {(byte) 0x80, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThat(RtcpReader.read(rtp, 0, rtp.length, new RecordingHandler())).isEqualTo(RtcpReader.MALFORMED);
    }

    @Test
    void randomGarbageNeverThrows() {
        Random r = new Random(7);
        byte[] b = new byte[128];
        RecordingHandler h = new RecordingHandler();
        int delivered = 0;
        for (int i = 0; i < 100_000; i++) {
            r.nextBytes(b);
            b[0] = (byte) (0x80 | (b[0] & 0x3F));
            b[1] = (byte) (192 + r.nextInt(32));
            b[2] = 0;
            b[3] = (byte) r.nextInt(8);
            int len = r.nextInt(b.length + 1);
            h.events.clear();
            int res = RtcpReader.read(b, 0, len, h);
            if (res > 0) {
                delivered++;
            }
        }
        assertThat(delivered).isPositive();
    }

    @Test
    void rembWithoutItsBitrateAtTheEndOfTheDatagramIsMalformed() {
        // a NACK, then a REMB whose length (16 bytes) stops right after "REMB": no count, no bitrate
        byte[] b = java.util.HexFormat.of().parseHex(
                "81cd00031122334455667788000100008fce0003112233440000000052454d42");
        assertThat(RtcpReader.isValid(b, 0, b.length)).isFalse();
        assertThat(RtcpReader.read(b, 0, b.length, new RecordingHandler())).isEqualTo(RtcpReader.MALFORMED);
    }

    @Test
    void everyLengthFieldIsCheckedAgainstTheDatagramNotTheArray() {
        // Valid packets of every kind, then every truncation and random byte flips of them, each in an
        // array of exactly the datagram's size: no length field may lead a read past its end.
        byte[] compound = new byte[1500];
        int n = RtcpWriter.senderReport(compound, 0, 1, 2, 3, 4, 5);
        n = RtcpWriter.addReportBlock(compound, 0, 6, 7, 8, 9, 10, 11, 12);
        n += RtcpWriter.sdesCname(compound, n, 1, "cname".getBytes(StandardCharsets.UTF_8));
        n += RtcpWriter.nack(compound, n, 1, 2, 100, 0x8001);
        n += RtcpWriter.pli(compound, n, 1, 2);
        n += RtcpWriter.fir(compound, n, 1, 2, 3);
        n += RtcpWriter.remb(compound, n, 1, 500_000, new long[] {2, 3}, 2);
        n += RtcpWriter.bye(compound, n, 1);
        int rr = n;
        RtcpWriter.receiverReport(compound, rr, 9);
        n = rr + RtcpWriter.addReportBlock(compound, rr, 9, 1, 2, 3, 4, 5, 6);
        assertThat(RtcpReader.read(compound, 0, n, new RecordingHandler())).isEqualTo(8);

        Random r = new Random(7);
        RecordingHandler h = new RecordingHandler();
        for (int start = 0; start < n; start += 4) {
            for (int end = start + 4; end <= n; end += 4) {
                byte[] exact = Arrays.copyOfRange(compound, start, end);
                RtcpReader.read(exact, 0, exact.length, h);
                for (int flip = 0; flip < 8; flip++) {
                    byte[] mutated = exact.clone();
                    mutated[r.nextInt(mutated.length)] = (byte) r.nextInt(256);
                    RtcpReader.read(mutated, 0, mutated.length, h);
                }
            }
        }
        assertThat(RtcpReader.isValid(compound, 1, Integer.MAX_VALUE)).isFalse(); // off + len overflows
    }

    @Test
    void ntpTimeConversions() {
        long ntp = NtpTime.fromUnixNanos(1_500_000_000_000_000_000L + 500_000_000L);
        assertThat(ntp >>> 32).isEqualTo(1_500_000_000L + NtpTime.UNIX_EPOCH_OFFSET);
        assertThat(ntp & 0xFFFF_FFFFL).isEqualTo(0x8000_0000L);
        assertThat(NtpTime.toUnixNanos(ntp)).isEqualTo(1_500_000_000_000_000_000L + 500_000_000L);
        assertThat(NtpTime.middle32(0x1122_3344_5566_7788L)).isEqualTo(0x3344_5566L);
    }

    @Test
    void roundTripTimeFromLsrAndDlsr() {
        long sentNtp = NtpTime.fromUnixNanos(1_000_000_000_000_000_000L);
        long nowNtp = NtpTime.fromUnixNanos(1_000_000_000_000_000_000L + 250_000_000L);
        // the receiver held our SR for 200 ms: 50 ms of network round trip
        long dlsr = 200 * 65536 / 1000;
        long rtt = NtpTime.roundTripMillis(nowNtp, NtpTime.middle32(sentNtp), dlsr);
        assertThat(rtt).isBetween(49L, 50L);
        assertThat(NtpTime.roundTripMillis(nowNtp, 0, dlsr)).isEqualTo(-1);
        assertThat(NtpTime.roundTripMillis(sentNtp, NtpTime.middle32(nowNtp), 0)).isEqualTo(-1);
    }
}
