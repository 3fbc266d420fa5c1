package dev.parley.server.sfu;

import dev.parley.rtc.rtcp.RtcpHandler;
import dev.parley.rtc.rtcp.RtcpReader;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** MD9 REMB towards a presenter whose simulcast layers have not all started (issue #14). */
class UpStreamRembTest {
    private final DownTrackLayerTest.RecordingTransport transport = new DownTrackLayerTest.RecordingTransport();
    private final UpStream up = SfuFixtures.upStream("u", transport);

    private List<Long> rembs() {
        List<Long> out = new ArrayList<>();
        for (byte[] p : transport.rtcp) {
            RtcpReader.read(p, 0, p.length, new RtcpHandler() {
                @Override
                public void onRemb(long sender, long bitrate, byte[] buf, int off, int count) {
                    out.add(bitrate);
                }
            });
        }
        return out;
    }

    private UpSection simulcast(List<String> rids) {
        UpSection v = SfuFixtures.videoSection("0", 0);
        return new UpSection("0", "video", v.codec(), 96, rids, null, List.of(), 1, 2, true, true, true);
    }

    private void receive(long ssrc, String rid) {
        byte[] p = SfuFixtures.midRidPacket(ssrc, rid);
        up.onRtp(p, 0, p.length);
    }

    @Test
    void MD9_aLayerNotSentYetGetsTheShareOfATrackWithoutReceivers() {
        up.setSections(List.of(simulcast(List.of("l", "h"))));
        receive(7, "l");                                              // only the low layer arrives
        up.tick(1_000_000_000L);
        // the arrived "l" (102400) plus the missing "h" (512000, a track without receivers);
        // without that share the sender would never have the budget to start its high layer
        assertThat(rembs()).containsExactly(102_400L + 512_000L);
    }

    @Test
    void MD9_onceAllLayersArriveOnlyTheirOwnSharesCount() {
        up.setSections(List.of(simulcast(List.of("l", "h"))));
        receive(7, "l");
        receive(8, "h");
        up.tick(1_000_000_000L);
        assertThat(rembs()).containsExactly(102_400L + 512_000L);
    }

    @Test
    void MD9_aMissingLowLayerAddsItsOwnHundredKilobits() {
        up.setSections(List.of(simulcast(List.of("h", "l"))));
        receive(7, "h");
        up.tick(1_000_000_000L);
        assertThat(rembs()).containsExactly(512_000L + 102_400L);
    }
}
