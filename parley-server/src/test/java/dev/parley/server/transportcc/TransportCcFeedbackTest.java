package dev.parley.server.transportcc;

import dev.parley.rtc.rtcp.RtcpHandler;
import dev.parley.rtc.rtcp.RtcpReader;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The arrival ring behind transport feedback to presenters (issue #14). */
class TransportCcFeedbackTest {
    private static final long MS = 1_000_000;
    private final TransportCcFeedback feedback = new TransportCcFeedback();
    private final byte[] buf = new byte[1500];

    /** base seq, status count and fb count of each packet written now. */
    private List<int[]> drain(long now) {
        List<int[]> out = new ArrayList<>();
        for (int n; (n = feedback.write(buf, 0, 1, 2, now)) > 0; ) {
            assertThat(RtcpReader.read(buf, 0, n, new RtcpHandler() { })).isEqualTo(1);
            assertThat(buf[1] & 0xFF).isEqualTo(205);
            assertThat(buf[0] & 0x1F).isEqualTo(15);
            out.add(new int[]{((buf[12] & 0xFF) << 8) | (buf[13] & 0xFF), ((buf[14] & 0xFF) << 8) | (buf[15] & 0xFF),
                    buf[19] & 0xFF});
        }
        return out;
    }

    @Test
    void reportsEachRunOnceWithGapsAsLossAndCountsPackets() {
        feedback.onPacket(10, 0);
        feedback.onPacket(11, MS);
        feedback.onPacket(13, 2 * MS);                 // 12 lost
        assertThat(feedback.due(2 * MS)).isTrue();
        assertThat(drain(2 * MS)).singleElement().satisfies(p -> assertThat(p).containsExactly(10, 4, 0));
        assertThat(feedback.due(3 * MS)).isFalse();    // nothing new
        feedback.onPacket(14, 10 * MS);
        assertThat(feedback.due(10 * MS)).as("only every 50 ms").isFalse();
        feedback.onPacket(15, 60 * MS);
        assertThat(feedback.due(60 * MS)).isTrue();
        assertThat(drain(60 * MS)).singleElement().satisfies(p -> assertThat(p).containsExactly(14, 2, 1));
    }

    @Test
    void aLateArrivalAlreadyReportedLostIsIgnoredAndWrapAroundContinues() {
        feedback.onPacket(0xFFFE, 0);
        feedback.onPacket(0x0001, MS);                 // wrapped, 0xFFFF and 0 lost
        assertThat(drain(MS)).singleElement().satisfies(p -> assertThat(p).containsExactly(0xFFFE, 4, 0));
        feedback.onPacket(0xFFFF, 100 * MS);           // too late
        assertThat(feedback.due(100 * MS)).isFalse();
        feedback.onPacket(2, 101 * MS);
        assertThat(drain(101 * MS)).singleElement().satisfies(p -> assertThat(p).containsExactly(2, 1, 1));
    }

    @Test
    void aLongSilenceSplitsTheReportWhereTheDeltaNoLongerFits() {
        feedback.onPacket(1, 0);
        feedback.onPacket(2, 20_000 * MS);             // 20 s later: beyond a two-byte 250 µs delta
        assertThat(drain(20_000 * MS)).extracting(p -> p[0]).containsExactly(1, 2);
    }

    @Test
    void moreThanTheRingHoldsReportsOnlyTheNewest() {
        for (int s = 0; s < 3000; s++) {
            feedback.onPacket(s, s * 100_000L);
        }
        List<int[]> packets = drain(300 * MS);
        assertThat(packets).isNotEmpty();
        int last = packets.getLast()[0] + packets.getLast()[1] - 1;
        assertThat(last).isEqualTo(2999);
        assertThat(packets.getFirst()[0]).isEqualTo(3000 - 1024);
    }
}
