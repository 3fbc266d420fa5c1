package dev.parley.client;

import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCRtpReceiver;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.media.MediaStream;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.parley.client.media.SyntheticVideoSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two peer connections of the SDK's media engine in one JVM exchange video directly, no
 * server. Needs a non-loopback address: run inside scripts/in-private-netns.
 */
@Tag("media")
class PeerToPeerMediaTest {

    @Test
    void syntheticVideoFramesAreDecodedByTheOtherPeer() throws Exception {
        MediaEngine engine = MediaEngine.shared();
        AtomicReference<RTCPeerConnection> aRef = new AtomicReference<>();
        AtomicReference<RTCPeerConnection> bRef = new AtomicReference<>();
        AtomicInteger decoded = new AtomicInteger();
        AtomicReference<String> size = new AtomicReference<>();
        CountDownLatch tenFrames = new CountDownLatch(10);

        List<String> candidatesOfA = new java.util.concurrent.CopyOnWriteArrayList<>();
        RTCPeerConnection a = engine.createPeerConnection(null, candidate -> {
            candidatesOfA.add(candidate.sdp);
            bRef.get().addIceCandidate(candidate);
        });
        RTCPeerConnection b = engine.createPeerConnection(null, new PeerConnectionObserver() {
            @Override
            public void onIceCandidate(RTCIceCandidate candidate) {
                aRef.get().addIceCandidate(candidate);
            }

            @Override
            public void onAddTrack(RTCRtpReceiver receiver, MediaStream[] streams) {
                if (receiver.getTrack() instanceof VideoTrack video) {
                    video.addSink(frame -> {
                        size.set(frame.buffer.getWidth() + "x" + frame.buffer.getHeight());
                        decoded.incrementAndGet();
                        tenFrames.countDown();
                    });
                }
            }
        });
        aRef.set(a);
        bRef.set(b);

        SyntheticVideoSource source = new SyntheticVideoSource(320, 240, 30);
        VideoTrack track = engine.createVideoTrack("synthetic", source.source());
        RTCRtpSender sender = a.addTrack(track, List.of("s"));

        RTCSessionDescription offer = Rtc.createOffer(a, false).get(10, TimeUnit.SECONDS);
        Rtc.setLocal(a, offer).get(10, TimeUnit.SECONDS);
        Rtc.setRemote(b, RTCSdpType.OFFER, offer.sdp).get(10, TimeUnit.SECONDS);
        RTCSessionDescription answer = Rtc.createAnswer(b).get(10, TimeUnit.SECONDS);
        Rtc.setLocal(b, answer).get(10, TimeUnit.SECONDS);
        Rtc.setRemote(a, RTCSdpType.ANSWER, answer.sdp).get(10, TimeUnit.SECONDS);

        boolean arrived = tenFrames.await(20, TimeUnit.SECONDS);

        a.removeTrack(sender);
        a.close();
        b.close();
        track.dispose();
        source.close();

        assertThat(arrived).as("10 decoded frames, got " + decoded.get()).isTrue();
        assertThat(size.get()).isEqualTo("320x240");
        assertThat(candidatesOfA).anySatisfy(c -> assertThat(c).contains(" 10.77.0.1 "));
    }
}
