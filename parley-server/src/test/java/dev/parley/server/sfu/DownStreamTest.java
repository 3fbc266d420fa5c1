package dev.parley.server.sfu;

import dev.parley.rtc.rtcp.RtcpHandler;
import dev.parley.rtc.rtcp.RtcpReader;
import dev.parley.rtc.sdp.SessionDescription;
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

    /** Hands out ICE credentials as a real transport would, counting restarts; sends nothing. */
    static class SignallingTransport implements MediaTransport {
        int restarts;
        LocalEndpoint local = endpoint("u0");

        static LocalEndpoint endpoint(String ufrag) {
            return new LocalEndpoint(ufrag, "password-password-pw",
                    new dev.parley.rtc.sdp.Fingerprint("sha-256", "AB:CD"), List.of());
        }

        @Override public LocalEndpoint local() { return local; }
        @Override public void setRemoteFingerprint(dev.parley.rtc.sdp.Fingerprint fingerprint) { }
        @Override public void setRemoteUfrag(String ufrag) { }
        @Override public LocalEndpoint restartIce(String ufrag) { local = endpoint("u" + ++restarts); return local; }
        @Override public boolean isConnected() { return false; }
        @Override public void sendRtp(byte[] buf, int off, int len) { }
        @Override public void sendRtcp(byte[] buf, int off, int len) { }
        @Override public void execute(Runnable task) { task.run(); }
        @Override public void close() { }
    }

    private static String ufrag(SessionDescription offer) {
        return offer.iceUfrag(offer.media().getFirst()).orElseThrow();
    }

    /** The receiver's answer: only its ICE ufrag and fingerprint matter to the down stream. */
    /** The offer echoed back, as an answerer that chooses to be the DTLS client would say it. */
    private static SessionDescription answerTo(SessionDescription offer) {
        return SessionDescription.parse(offer.toString().replace("a=setup:actpass", "a=setup:active"));
    }

    @Test
    void S11_S12_anIceRestartAskedForWhileAnOfferIsOutstandingIsMadeWhenItIsAnswered() {
        SignallingTransport transport = new SignallingTransport();
        UpStream up = SfuFixtures.upStream("u", transport);
        UpTrack audio = new UpTrack(up, SfuFixtures.audioSection("0", 1), null, 1);
        DownStream down = new DownStream(up);
        down.setTransport(transport);
        down.select(List.of(audio));
        SessionDescription first = down.nextOffer(false);
        assertThat(ufrag(first)).isEqualTo("u0");

        assertThat(down.nextOffer(true)).as("S11: deferred while the first is outstanding").isNull();
        assertThat(down.answered(answerTo(first))).as("a deferred offer is due").isTrue();
        SessionDescription second = down.nextOffer(false);       // what StreamSignalling sends after an answer
        assertThat(transport.restarts).as("the deferred offer restarts ICE").isEqualTo(1);
        assertThat(ufrag(second)).isEqualTo("u1");

        assertThat(down.answered(answerTo(second))).isFalse();
        assertThat(ufrag(down.nextOffer(false))).as("only once").isEqualTo("u1");
    }

    @Test
    void S4_togglingTheRequestReusesInactiveSectionsSoTheSdpStaysBounded() {
        SignallingTransport transport = new SignallingTransport();
        UpStream up = SfuFixtures.upStream("u", transport);
        UpTrack audio = new UpTrack(up, SfuFixtures.audioSection("0", 1), null, 1);
        UpTrack video = new UpTrack(up, SfuFixtures.videoSection("1", 2), null, 2);
        DownStream down = new DownStream(up);
        down.setTransport(transport);
        down.select(List.of(audio, video));
        SessionDescription offer = down.nextOffer(false);
        int firstSize = offer.toString().length();
        for (int i = 0; i < 50; i++) {
            down.answered(answerTo(offer));
            assertThat(down.select(i % 2 == 0 ? List.of(audio) : List.of(audio, video))).isTrue();
            offer = down.nextOffer(false);
        }
        assertThat(offer.media()).as("m-sections after 50 toggles").hasSizeLessThanOrEqualTo(3);
        assertThat(offer.toString().length()).isLessThan(2 * firstSize);
        assertThat(down.selected()).containsExactly(audio, video);
        List<String> mids = offer.media().stream().map(m -> m.mid().orElseThrow()).toList();
        assertThat(mids).doesNotHaveDuplicates();
    }

    /**
     * S8 with one forwarded track replaced by another (a simulcast layer reordered): the detached
     * section stays in the BUNDLE group as inactive, so the receiver keeps its transport.
     */
    @Test
    void S8_aDetachedSectionStaysBundledAndInactiveSoTheTransportSurvives() {
        SignallingTransport transport = new SignallingTransport();
        UpStream up = SfuFixtures.upStream("u", transport);
        UpTrack low = new UpTrack(up, SfuFixtures.videoSection("0", 1), null, 1);
        UpTrack high = new UpTrack(up, SfuFixtures.videoSection("0", 2), null, 2);
        DownStream down = new DownStream(up);
        down.setTransport(transport);
        down.select(List.of(low));
        down.answered(answerTo(down.nextOffer(false)));
        assertThat(down.select(List.of(high))).isTrue();
        SessionDescription offer = down.nextOffer(false);
        assertThat(offer.media()).hasSize(2);
        var detached = offer.media().getFirst();
        assertThat(detached.direction().attributeName()).isEqualTo("inactive");
        assertThat(detached.port()).as("not rejected").isEqualTo(9);
        assertThat(offer.toString()).contains("a=group:BUNDLE 0 1");
        assertThat(offer.media().get(1).direction().attributeName()).isEqualTo("sendonly");
    }

    /**
     * S4, issue #14: moving between {@code video} and {@code video-low} of a simulcast section is
     * no change of track set: no offer, and a later offer (for a real change) keeps the section's
     * mid, SSRC and msid as first offered.
     */
    @Test
    void S4_anotherSimulcastLayerOfAForwardedTrackNeedsNoOffer() {
        SignallingTransport transport = new SignallingTransport();
        UpStream up = SfuFixtures.upStream("u", transport);
        UpSection layered = new UpSection("1", "video", SfuFixtures.videoSection("1", 2).codec(), 96, List.of("h", "l"),
                null, List.of(2L, 3L), -1, -1, true, true, true);
        UpTrack audio = new UpTrack(up, SfuFixtures.audioSection("0", 1), null, 1);
        UpTrack high = new UpTrack(up, layered, "h", 2);
        UpTrack low = new UpTrack(up, layered, "l", 3);
        DownStream down = new DownStream(up);
        down.setTransport(transport);
        down.select(List.of(audio, high));
        SessionDescription first = down.nextOffer(false);
        down.answered(answerTo(first));

        assertThat(down.select(List.of(audio, low))).as("video-low: the same section").isFalse();
        assertThat(down.selected()).containsExactly(audio, low);
        assertThat(down.select(List.of(audio, high))).as("and back").isFalse();
        assertThat(down.select(List.of(audio, low))).isFalse();
        assertThat(down.select(List.of(low))).as("audio removed: a real change").isTrue();
        SessionDescription second = down.nextOffer(false);
        var video = second.media().get(1);
        var offeredVideo = first.media().get(1);
        assertThat(video.mid()).isEqualTo(offeredVideo.mid());
        assertThat(video.direction().attributeName()).isEqualTo("sendonly");
        List<String> identity = first.toString().split("m=")[2].lines()
                .filter(l -> l.startsWith("a=msid") || l.startsWith("a=ssrc:")).toList();
        assertThat(identity).isNotEmpty();
        assertThat(second.toString().split("m=")[2].lines().toList()).as("SSRC and msid as first offered")
                .containsAll(identity);
        assertThat(second.media().getFirst().direction().attributeName()).isEqualTo("inactive");
    }
}
