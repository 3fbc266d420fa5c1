package dev.parley.client;

import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.parley.client.media.SyntheticAudioSource;
import dev.parley.client.media.SyntheticVideoSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Up streams of one client arrive as down streams of another, through a signalling relay;
 * media flows peer to peer. Run inside scripts/in-private-netns.
 */
@Tag("media")
class StreamMediaTest {
    private RelayServer relay;
    private ServerConnection alice;
    private ServerConnection bob;
    private SyntheticVideoSource video;
    private SyntheticAudioSource audio;
    private VideoTrack videoTrack;
    private AudioTrack audioTrack;
    private final BlockingQueue<String> bobEvents = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        relay = new RelayServer();
        alice = new ServerConnection();
        bob = new ServerConnection();
        alice.connect(relay.url()).get(10, TimeUnit.SECONDS);
        bob.connect(relay.url()).get(10, TimeUnit.SECONDS);
        assertThat(alice.join("g", "alice", "x").get(10, TimeUnit.SECONDS).kind()).isEqualTo("join");
        assertThat(bob.join("g", "bob", "x").get(10, TimeUnit.SECONDS).kind()).isEqualTo("join");
        video = new SyntheticVideoSource(320, 240, 30);
        audio = new SyntheticAudioSource(440);
        videoTrack = alice.engine().createVideoTrack("video", video.source());
        audioTrack = alice.engine().createAudioTrack("audio", audio.source());
    }

    @AfterEach
    void stop() throws Exception {
        alice.close();
        bob.close();
        // the streams are closed by close(); wait for it before freeing the tracks they used
        Thread.sleep(300);
        videoTrack.dispose();
        audioTrack.dispose();
        video.close();
        audio.close();
        relay.close();
    }

    @Test
    void S7_upStreamIsReceivedAsDecodedVideoAndAudio() throws Exception {
        CountDownLatch frames = new CountDownLatch(10);
        CountDownLatch samples = new CountDownLatch(10);
        AtomicReference<String> size = new AtomicReference<>();
        AtomicReference<Stream> received = new AtomicReference<>();
        bob.ondownstream(s -> {
            received.set(s);
            bobEvents.add("downstream " + s.label() + " " + s.source() + " " + s.username() + " " + s.up());
            s.ondowntrack((track, transceiver, ms) -> {
                bobEvents.add("track " + track.getKind() + " " + (transceiver != null));
                if (track instanceof VideoTrack v) {
                    v.addSink(frame -> {
                        size.set(frame.buffer.getWidth() + "x" + frame.buffer.getHeight());
                        frames.countDown();
                    });
                } else if (track instanceof AudioTrack a) {
                    a.addSink((data, bits, rate, channels, count) -> samples.countDown());
                }
            });
        });
        CountDownLatch negotiated = new CountDownLatch(1);
        Stream up = alice.newUpStream("camera");
        assertThat(up.pc()).isNotNull();
        assertThat(up.up()).isTrue();
        assertThat(up.localId()).isEqualTo("camera");
        assertThat(alice.findByLocalId("camera")).isSameAs(up);
        up.onnegotiationcompleted(negotiated::countDown);
        up.label("camera");
        up.setStream(List.of(audioTrack, videoTrack));

        assertThat(negotiated.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(frames.await(20, TimeUnit.SECONDS)).as("decoded video frames").isTrue();
        assertThat(samples.await(20, TimeUnit.SECONDS)).as("decoded audio samples").isTrue();
        assertThat(size.get()).isEqualTo("320x240");
        List<String> seen = new java.util.ArrayList<>();
        bobEvents.drainTo(seen);
        // adding two tracks may take one offer or two; ondownstream fires on each offer
        assertThat(seen.get(0)).isEqualTo("downstream camera " + alice.id() + " alice false");
        assertThat(seen).filteredOn(e -> e.startsWith("downstream"))
                .containsOnly("downstream camera " + alice.id() + " alice false");
        assertThat(seen).filteredOn(e -> e.startsWith("track"))
                .containsExactlyInAnyOrder("track audio true", "track video true");
        Stream down = received.get();
        assertThat(down.id()).isEqualTo(up.id());
        assertThat(bob.down()).containsOnlyKeys(up.id());
        assertThat(down.stream()).isNotNull();
        assertThat(down.tracks()).extracting(MediaStreamTrack::getKind).containsExactlyInAnyOrder("audio", "video");
        assertThat(bob.users().get(alice.id()).streams())
                .isEqualTo(Map.of("camera", Map.of("audio", true, "video", true)));
        assertThat(alice.users().get(alice.id()).streams())
                .isEqualTo(Map.of("camera", Map.of("audio", true, "video", true)));

        // statistics: the sender's outbound video carries a bit rate once two samples exist
        BlockingQueue<Map<String, Map<String, Object>>> reports = new LinkedBlockingQueue<>();
        up.onstats(reports::add);
        up.setStatsInterval(200);
        Map<String, Map<String, Object>> report = null;
        for (int i = 0; i < 20; i++) {
            report = reports.poll(5, TimeUnit.SECONDS);
            if (report != null && report.values().stream().anyMatch(r -> r.containsKey("rate"))) {
                break;
            }
        }
        assertThat(report).isNotNull();
        assertThat(report.values()).anySatisfy(r -> {
            assertThat(r.get("type")).isEqualTo("outbound-rtp");
            assertThat(((Number) r.get("rate")).doubleValue()).isPositive();
        });
        assertThat(up.stats()).isNotEmpty();
        up.setStatsInterval(0);

        // S25: closing the up stream closes the receiver's down stream
        CountDownLatch closed = new CountDownLatch(1);
        AtomicReference<Boolean> replaced = new AtomicReference<>();
        down.onclose(r -> {
            replaced.set(r);
            closed.countDown();
        });
        up.close();
        assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(replaced.get()).isFalse();
        assertThat(bob.down()).isEmpty();
        assertThat(alice.up()).isEmpty();
    }

    @Test
    void S20_newUpStreamWithTheSameLocalIdReplacesTheOldOne() throws Exception {
        BlockingQueue<Stream> downs = new LinkedBlockingQueue<>();
        bob.ondownstream(downs::add);
        Stream first = alice.newUpStream("camera");
        first.label("camera");
        first.addTrack(videoTrack);
        Stream firstDown = downs.poll(10, TimeUnit.SECONDS);
        assertThat(firstDown).isNotNull();
        CountDownLatch firstClosed = new CountDownLatch(1);
        AtomicReference<Boolean> replaced = new AtomicReference<>();
        firstDown.onclose(r -> {
            replaced.set(r);
            firstClosed.countDown();
        });
        AtomicInteger upClosed = new AtomicInteger();
        first.onclose(r -> upClosed.set(r ? 2 : 1));

        Stream second = alice.newUpStream("camera");
        assertThat(upClosed.get()).as("old up stream closed as replaced").isEqualTo(2);
        assertThat(second.replace()).isEqualTo(first.id());
        second.label("camera");
        second.addTrack(videoTrack);
        Stream secondDown = downs.poll(10, TimeUnit.SECONDS);
        assertThat(secondDown).isNotNull();
        assertThat(firstClosed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(replaced.get()).isTrue();
        assertThat(secondDown.id()).isEqualTo(second.id());
        assertThat(secondDown.localId()).isEqualTo(firstDown.localId());
        assertThat(alice.up()).containsOnlyKeys(second.id());
    }

    @Test
    void S13_abortAsksTheServerToCloseTheDownStream() throws Exception {
        BlockingQueue<Stream> downs = new LinkedBlockingQueue<>();
        bob.ondownstream(downs::add);
        Stream up = alice.newUpStream();
        up.label("camera");
        up.addTrack(videoTrack);
        Stream down = downs.poll(10, TimeUnit.SECONDS);
        assertThat(down).isNotNull();
        CountDownLatch closed = new CountDownLatch(1);
        down.onclose(r -> closed.countDown());
        down.abort();
        assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(bob.down()).isEmpty();
    }
}
