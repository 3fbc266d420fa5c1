package dev.parley.rtc.rtcp;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static dev.parley.rtc.rtcp.TransportFeedbackReader.NOT_RECEIVED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transport feedback parsing against packets worked out by hand from
 * draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1, and round trips through
 * {@link TransportFeedbackWriter}.
 */
class TransportFeedbackReaderTest {
    private record Status(int seq, long arrival) {
    }

    private final TransportFeedbackReader reader = new TransportFeedbackReader();
    private final List<Status> got = new ArrayList<>();

    private int read(String hex) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        return reader.read(b, 0, b.length, (seq, arrival) -> got.add(new Status(seq, arrival)));
    }

    @Test
    void twoBitVectorWithSmallLostAndLargeDeltas() {
        // reference 5 (320 ms), fb count 7; chunk d480 = two-bit vector small, small, lost, large
        int fb = read("af cd 00 06 11223344 55667788 0064 0004 000005 07 d480 04 02 01 3a");
        assertThat(fb).isEqualTo(7);
        assertThat(got).containsExactly(new Status(100, 321_000), new Status(101, 321_500),
                new Status(102, NOT_RECEIVED), new Status(103, 400_000));
    }

    @Test
    void paddedPacketThroughTheCompoundReader() {
        byte[] b = HexFormat.of().parseHex("afcd000611223344556677880064000400000507d48004020" + "13a0002");
        List<Status> seen = new ArrayList<>();
        long[] ssrcs = new long[2];
        int n = RtcpReader.read(b, 0, b.length, new RtcpHandler() {
            @Override
            public void onTransportFeedback(long senderSsrc, long mediaSsrc, byte[] buf, int off, int len) {
                ssrcs[0] = senderSsrc;
                ssrcs[1] = mediaSsrc;
                assertThat(len).as("padding excluded").isEqualTo(26);
                reader.read(buf, off, len, (seq, arrival) -> seen.add(new Status(seq, arrival)));
            }
        });
        assertThat(n).isEqualTo(1);
        assertThat(ssrcs).containsExactly(0x11223344L, 0x55667788L);
        assertThat(seen).hasSize(4).last().isEqualTo(new Status(103, 400_000));
    }

    @Test
    void runLengthAcrossTheSequenceWrap() {
        // base 65534, 20 statuses, one run-length chunk of "small delta" (0x2000 | 20), deltas of 1 ms
        read("af cd 00 0a 00000001 00000002 fffe 0014 000000 00 2014" + "04".repeat(20) + "0000");
        assertThat(got).hasSize(20);
        assertThat(got.get(0)).isEqualTo(new Status(65534, 1_000));
        assertThat(got.get(1)).isEqualTo(new Status(65535, 2_000));
        assertThat(got.get(2)).isEqualTo(new Status(0, 3_000));
        assertThat(got.get(19)).isEqualTo(new Status(17, 20_000));
    }

    @Test
    void oneBitVectorWithLosses() {
        // 14 statuses: 1 0 1 1 0 0 0 0 0 0 0 0 0 1 -> 1011 0000 0000 001 = 0x8000 | 0x2C01
        read("af cd 00 07 00000001 00000002 0000 000e 000001 03 ac01 08 04 04 00 00 00");
        assertThat(got).hasSize(14);
        assertThat(got.get(0)).isEqualTo(new Status(0, 64_000 + 2_000));
        assertThat(got.get(1).arrival()).isEqualTo(NOT_RECEIVED);
        assertThat(got.get(2)).isEqualTo(new Status(2, 67_000));
        assertThat(got.get(3)).isEqualTo(new Status(3, 68_000));
        assertThat(got.get(12).arrival()).isEqualTo(NOT_RECEIVED);
        assertThat(got.get(13)).isEqualTo(new Status(13, 68_000));
    }

    @Test
    void negativeDeltaForAPacketThatArrivedBeforeItsPredecessor() {
        // two-bit vector: small (10 ms), large -4 (-1 ms): 01 10 -> 0xC000 | 0x1800 = d800
        read("af cd 00 06 00000001 00000002 0010 0002 000002 00 d800 28 fffc 000000");
        assertThat(got).containsExactly(new Status(16, 128_000 + 10_000), new Status(17, 137_000));
    }

    @Test
    void referenceTimeUnwrapsAcrossItsTwentyFourBits() {
        read("af cd 00 05 00000001 00000002 0000 0001 ffffff 00 2001 00 0000");
        read("af cd 00 05 00000001 00000002 0001 0001 000001 01 2001 00 0000");
        long before = got.get(0).arrival();
        assertThat(got.get(1).arrival() - before).as("two 64 ms ticks later, not 12 days earlier").isEqualTo(128_000);
        // a late feedback packet from before the wrap stays in the past
        read("af cd 00 05 00000001 00000002 0000 0001 fffffe 00 2001 00 0000");
        assertThat(got.get(2).arrival() - before).isEqualTo(-64_000);
    }

    @Test
    void malformedPacketsDeliverNothing() {
        // symbol 3 is reserved
        assertThat(read("af cd 00 05 00000001 00000002 0000 0001 000000 00 6001 00 0000")).isEqualTo(-1);
        // the deltas are missing
        assertThat(read("af cd 00 05 00000001 00000002 0000 0004 000000 00 2004 00 0000")).isEqualTo(-1);
        // a run of zero statuses
        assertThat(read("af cd 00 05 00000001 00000002 0000 0001 000000 00 2000 00 0000")).isEqualTo(-1);
        // chunks missing
        assertThat(read("af cd 00 04 00000001 00000002 0000 0001 000000 00")).isEqualTo(-1);
        assertThat(got).isEmpty();
    }

    @Test
    void roundTripsThroughTheWriterWithLossesAndJitter() {
        Random random = new Random(14);
        TransportFeedbackWriter writer = new TransportFeedbackWriter(400);
        byte[] buf = new byte[1500];
        for (int trial = 0; trial < 200; trial++) {
            int count = 1 + random.nextInt(300);
            int base = random.nextInt(0x10000);
            long[] arrivals = new long[count];
            long t = random.nextLong(1L << 39);              // below the reference time's wrap
            for (int i = 0; i < count; i++) {
                int kind = random.nextInt(10);
                t += kind == 0 ? random.nextInt(200_000) : random.nextInt(5_000) - (kind == 1 ? 3_000 : 0);
                arrivals[i] = random.nextInt(8) == 0 ? NOT_RECEIVED : t;
            }
            TransportFeedbackReader fresh = new TransportFeedbackReader();
            int from = 0;
            int fbCount = 0;
            while (from < count) {
                int n = writer.write(buf, 0, buf.length, 1, 2, base + from, arrivals, from, count - from, fbCount);
                if (n == 0) {
                    break;                                            // only losses remain
                }
                int covered = writer.covered();
                int start = from;
                List<Status> seen = new ArrayList<>();
                assertThat(fresh.read(buf, 0, n, (seq, arrival) -> seen.add(new Status(seq, arrival))))
                        .isEqualTo(fbCount & 0xFF);
                assertThat(seen).hasSize(covered);
                for (int i = 0; i < covered; i++) {
                    Status s = seen.get(i);
                    assertThat(s.seq()).isEqualTo((base + start + i) & 0xFFFF);
                    long sent = arrivals[start + i];
                    if (sent == NOT_RECEIVED) {
                        assertThat(s.arrival()).isEqualTo(NOT_RECEIVED);
                    } else {
                        // quantised to 250 µs, without drift (the writer accumulates quantised deltas)
                        assertThat(Math.abs(s.arrival() - sent)).isLessThanOrEqualTo(125);
                    }
                }
                from += covered;
                fbCount++;
            }
        }
    }
}
