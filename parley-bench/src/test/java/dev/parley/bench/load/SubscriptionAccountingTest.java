package dev.parley.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.parley.bench.media.OpusSource;
import dev.parley.bench.media.Vp8Source;
import dev.parley.rtc.dtls.DtlsCertificate;
import dev.parley.bench.peer.ClientPeer;
import dev.parley.bench.peer.UdpReactor;
import dev.parley.rtc.srtp.SrtpProfile;
import org.junit.jupiter.api.Test;

/** A subscriber's loss and latency accounting on a synthetic trace (no network: packets are fed directly). */
class SubscriptionAccountingTest {

    @Test
    void lossAndOneWayLatencyOfASyntheticTrace() throws Exception {
        try (UdpReactor reactor = new UdpReactor("test-udp");
                ClientPeer peer = new ClientPeer(reactor, DtlsCertificate.generate(), SrtpProfile.AES_CM_128_HMAC_SHA1_80)) {
            ReceiveStats stats = new ReceiveStats();
            Subscription sub = new Subscription("s", peer, stats);
            OpusSource audio = new OpusSource(111, 5, 80, 0);
            byte[] buf = new byte[1600];
            long t0 = 1_000_000_000L;
            for (int i = 0; i < 1000; i++) {
                long sent = t0 + i * 20_000_000L;
                int n = audio.next(buf, sent);
                if (i % 100 == 50) {
                    continue;                                      // 1 % loss
                }
                long delay = i % 200 == 0 ? 60_000_000L : 2_000_000L;   // 0.5 % of packets late by 60 ms
                sub.onRtp(buf, 0, n, sent + delay);
            }
            assertThat(sub.expected()).isEqualTo(1000);
            assertThat(sub.received()).isEqualTo(990);
            assertThat(stats.packets()).isEqualTo(990);
            assertThat((double) stats.latency().percentile(0.5)).isCloseTo(2000, within(2000 / 64.0));
            assertThat((double) stats.latency().percentile(0.99)).isCloseTo(2000, within(2000 / 64.0));
            assertThat((double) stats.latency().percentile(0.999)).isCloseTo(60_000, within(1000.0));
        }
    }

    @Test
    void aHoleIsNackedAtOnceAndAskedForAKeyframeWhenItStaysUnrepaired() throws Exception {
        try (UdpReactor reactor = new UdpReactor("test-udp");
                ClientPeer peer = new ClientPeer(reactor, DtlsCertificate.generate(), SrtpProfile.AES_CM_128_HMAC_SHA1_80)) {
            ReceiveStats stats = new ReceiveStats();
            Subscription sub = new Subscription("s", peer, stats);
            sub.describe(dev.parley.rtc.sdp.SessionDescription.parse(PublisherSdp.offer(
                    dev.parley.rtc.ice.IceCredentials.random(), peer.localFingerprint(), "x", "c", 0, new long[] {9})));
            Vp8Source video = new Vp8Source(96, 9, 1_000_000, 30, 100, 0, null, 0, null, 0);
            byte[] buf = new byte[1600];
            int[] count = {0};
            long[] now = {0};
            // the first frame is a keyframe; then a frame's first packet goes missing for good
            for (int f = 0; f < 20; f++) {
                now[0] += 33_000_000L;
                video.nextFrame(buf, now[0], (b, len, seq, key, start) -> {
                    if (count[0]++ != 12) {
                        sub.onRtp(b, 0, len, now[0]);
                    }
                });
            }
            assertThat(sub.received()).isEqualTo(sub.expected() - 1);
            assertThat(stats.keyframes.get()).isEqualTo(1);
            assertThat(sub.nacksWanted).isEqualTo(1);                 // one NACK for the hole
            assertThat(sub.plisWanted).isEqualTo(1);                  // one PLI once it stayed unrepaired
            assertThat(stats.nacksSent()).isZero();                   // not connected: nothing went out
        }
    }
}
