package dev.parley.server.sfu;

import dev.parley.rtc.rtcp.RtcpHandler;
import dev.parley.rtc.rtcp.RtcpReader;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A receiver's stream: its periodic RTCP and its offers, with recording transports on one thread. */
class DownStreamTest {

    @Test
    void MD9_senderReportsThatDoNotFitOnePacketGoInTheNextNeverTruncated() {
        var upTransport = new DownTrackLayerTest.RecordingTransport();
        var downTransport = new DownTrackLayerTest.RecordingTransport();
        UpStream up = SfuFixtures.upStream("u", upTransport);
        List<UpTrack> tracks = new ArrayList<>();
        long now = 1_000_000_000L;
        for (int i = 0; i < 60; i++) {                      // 60 SRs of 28 bytes: more than one packet holds
            UpTrack t = new UpTrack(up, SfuFixtures.audioSection(Integer.toString(i), 1000 + i), null, 1000 + i);
            t.senderReport(0x1234_5678_0000_0000L, 48000, now);
            tracks.add(t);
        }
        DownStream down = new DownStream(up);
        down.setTransport(downTransport);
        down.startDirect(tracks);
        for (UpTrack t : tracks) {
            byte[] p = SfuFixtures.packet(111, 1, 48000, t.ssrc());
            t.receive(p, 0, p.length, now);
        }

        down.tick(now);

        List<Long> reported = new ArrayList<>();
        for (byte[] compound : downTransport.rtcp) {
            assertThat(compound.length).as("fits a 1500-byte MTU with SRTCP's trailer").isLessThanOrEqualTo(1200);
            int packets = RtcpReader.read(compound, 0, compound.length, new RtcpHandler() {
                @Override
                public void onSenderReport(long ssrc, long ntp, long rtp, long count, long octets) {
                    reported.add(ssrc);
                }
            });
            assertThat(packets).as("a well-formed compound packet").isPositive();
        }
        assertThat(reported).hasSize(60).doesNotHaveDuplicates();
    }
}
