package dev.parley.client;

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
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Java client to Java client through the real Parley SFU. Run inside scripts/in-private-netns. */
@Tag("media")
class MediaThroughParleyTest {
    private ParleyTestServer server;
    private ServerConnection alice;
    private ServerConnection bob;
    private SyntheticVideoSource video;
    private SyntheticAudioSource audio;
    private VideoTrack videoTrack;
    private AudioTrack audioTrack;

    @BeforeEach
    void start() throws Exception {
        server = ParleyTestServer.startAnnouncing(List.of(System.getProperty("parley.announce", "127.0.0.1")),
                "media", """
                {"wildcard-user": {"password": "pw", "permissions": "present"}}
                """);
        alice = new ServerConnection();
        bob = new ServerConnection();
        alice.connect(server.ws()).get(10, TimeUnit.SECONDS);
        bob.connect(server.ws()).get(10, TimeUnit.SECONDS);
        assertThat(alice.join("media", "alice", "pw").get(10, TimeUnit.SECONDS).kind()).isEqualTo("join");
        assertThat(bob.join("media", "bob", "pw").get(10, TimeUnit.SECONDS).kind()).isEqualTo("join");
        video = new SyntheticVideoSource(320, 240, 30);
        audio = new SyntheticAudioSource(440);
        videoTrack = alice.engine().createVideoTrack("video", video.source());
        audioTrack = alice.engine().createAudioTrack("audio", audio.source());
    }

    @AfterEach
    void stop() throws Exception {
        alice.close();
        bob.close();
        Thread.sleep(300);
        videoTrack.dispose();
        audioTrack.dispose();
        video.close();
        audio.close();
        server.close();
    }

    @Test
    void S7_S23_publishedVideoAndAudioAreDecodedByTheSubscriber() throws Exception {
        CountDownLatch frames = new CountDownLatch(10);
        CountDownLatch samples = new CountDownLatch(10);
        AtomicReference<String> size = new AtomicReference<>();
        BlockingQueue<String> statuses = new LinkedBlockingQueue<>();
        bob.ondownstream(s -> {
            s.onstatus(statuses::add);
            s.ondowntrack((track, transceiver, ms) -> {
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
        bob.request(Map.of("", List.of("audio", "video")));

        BlockingQueue<String> upStatuses = new LinkedBlockingQueue<>();
        Stream up = alice.newUpStream("camera");
        up.onstatus(upStatuses::add);
        up.label("camera");
        up.setStream(List.of(audioTrack, videoTrack));

        boolean gotFrames = frames.await(30, TimeUnit.SECONDS);
        assertThat(gotFrames).as("decoded frames; up ICE " + upStatuses + ", down ICE " + statuses).isTrue();
        assertThat(samples.await(20, TimeUnit.SECONDS)).as("decoded audio samples").isTrue();
        assertThat(size.get()).isEqualTo("320x240");
        Stream down = bob.down().get(up.id());
        assertThat(down).isNotNull();
        assertThat(down.label()).isEqualTo("camera");
        assertThat(down.source()).isEqualTo(alice.id());
        assertThat(down.username()).isEqualTo("alice");

        // S25: the presenter closes, the subscriber's stream goes away
        CountDownLatch closed = new CountDownLatch(1);
        down.onclose(r -> closed.countDown());
        up.close();
        assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(bob.down()).isEmpty();
    }
}
