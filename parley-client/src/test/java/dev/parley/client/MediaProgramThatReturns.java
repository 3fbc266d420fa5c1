package dev.parley.client;

import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.parley.client.media.SyntheticAudioSource;
import dev.parley.client.media.SyntheticVideoSource;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A user's program, run in its own JVM by {@link MediaProgramExitsTest}: two connections with
 * the default (shared) media engine, one publishes, the other receives, both close, and
 * {@code main} returns. Nothing calls {@code System.exit}: the JVM must end by itself.
 *
 * <p>usage: {@code MediaProgramThatReturns ws://host:port/ws group}
 */
public final class MediaProgramThatReturns {
    static final String RECEIVED = "received media";
    static final String RETURNING = "main returns";

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String group = args[1];
        reportThreadsStillAliveAfter(10_000);
        ServerConnection alice = new ServerConnection();
        ServerConnection bob = new ServerConnection();
        alice.connect(url).get(20, TimeUnit.SECONDS);
        bob.connect(url).get(20, TimeUnit.SECONDS);
        alice.join(group, "alice", "pw").get(20, TimeUnit.SECONDS);
        bob.join(group, "bob", "pw").get(20, TimeUnit.SECONDS);

        CountDownLatch frames = new CountDownLatch(5);
        bob.ondownstream(s -> s.ondowntrack((track, transceiver, ms) -> {
            if (track instanceof VideoTrack v) {
                v.addSink(frame -> frames.countDown());
            }
        }));
        bob.request(Map.of("", List.of("audio", "video")));

        SyntheticVideoSource video = new SyntheticVideoSource(160, 120, 15);
        SyntheticAudioSource audio = new SyntheticAudioSource(440);
        VideoTrack videoTrack = alice.engine().createVideoTrack("video", video.source());
        AudioTrack audioTrack = alice.engine().createAudioTrack("audio", audio.source());
        Stream up = alice.newUpStream("camera");
        up.setStream(List.of(audioTrack, videoTrack));
        if (!frames.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no video frames received");
        }
        System.out.println(RECEIVED);

        alice.close();
        bob.close();
        Thread.sleep(300); // the peer connections release their tracks asynchronously
        videoTrack.dispose();
        audioTrack.dispose();
        video.close();
        audio.close();
        MediaEngine.shared().close();
        System.out.println(RETURNING);
        System.out.flush();
    }

    /** Names the threads that keep the JVM alive, so a failing test says which one. */
    private static void reportThreadsStillAliveAfter(long millisAfterStart) {
        Thread watcher = new Thread(() -> {
            try {
                Thread.sleep(millisAfterStart);
            } catch (InterruptedException e) {
                return;
            }
            Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !t.isDaemon() && t.isAlive())
                    .forEach(t -> System.err.println("non-daemon thread alive: " + t.getName() + " " + t.getState()));
        }, "thread-reporter");
        watcher.setDaemon(true);
        watcher.start();
    }
}
