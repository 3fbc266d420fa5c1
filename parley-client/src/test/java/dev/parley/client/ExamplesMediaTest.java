package dev.parley.client;

import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.parley.client.examples.FileSender;
import dev.parley.client.examples.FrameStatsReceiver;
import dev.parley.client.media.SyntheticVideoSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The file-sender and frame-statistics examples. Run inside scripts/in-private-netns. */
@Tag("media")
class ExamplesMediaTest {
    @TempDir
    Path dir;

    @Test
    void fileSenderDeliversThroughTheRealServer() throws Exception {
        byte[] content = new byte[50_000];
        new Random(1).nextBytes(content);
        Path file = dir.resolve("notes.bin");
        Files.write(file, content);
        Path target = dir.resolve("got.bin");
        try (ParleyTestServer server = ParleyTestServer.start("test", """
                {"wildcard-user": {"password": "pw", "permissions": "present"}}
                """)) {
            ServerConnection receiver = new ServerConnection();
            CompletableFuture<Object> done = new CompletableFuture<>();
            receiver.onfiletransfer(f -> {
                f.onevent((state, data) -> {
                    if (state.equals("done")) {
                        done.complete(data);
                    }
                });
                f.receive(target);
            });
            receiver.connect(server.ws()).get(10, TimeUnit.SECONDS);
            receiver.join("test", "receiver", "pw").get(10, TimeUnit.SECONDS);

            StringBuilder log = new StringBuilder();
            int status = FileSender.send(server.ws(), "test", "sender", "pw", "receiver", file,
                    Duration.ofSeconds(30), log);
            assertThat(status).as(log.toString()).isZero();
            assertThat(done.get(10, TimeUnit.SECONDS)).isEqualTo(target);
            assertThat(Files.readAllBytes(target)).isEqualTo(content);
            assertThat(log.toString()).contains("offered notes.bin (50000 bytes) to receiver", "done: 50000 bytes");
            receiver.close();
        }
    }

    @Test
    void fileSenderFailsWhenTheRecipientRefuses() throws Exception {
        Path file = dir.resolve("x.txt");
        Files.writeString(file, "x");
        try (ParleyTestServer server = ParleyTestServer.start("test", """
                {"wildcard-user": {"password": "pw", "permissions": "present"}}
                """)) {
            ServerConnection receiver = new ServerConnection();
            receiver.onfiletransfer(f -> {
                throw new IllegalStateException("not today");
            });
            receiver.connect(server.ws()).get(10, TimeUnit.SECONDS);
            receiver.join("test", "receiver", "pw").get(10, TimeUnit.SECONDS);
            StringBuilder log = new StringBuilder();
            int status = FileSender.send(server.ws(), "test", "sender", "pw", "receiver", file,
                    Duration.ofSeconds(30), log);
            assertThat(status).isEqualTo(1);
            assertThat(log.toString()).contains("cancelled: not today");
            receiver.close();
        }
    }

    @Test
    void frameStatsReceiverCountsDecodedFramesPerStreamThroughTheSfu() throws Exception {
        try (ParleyTestServer server = ParleyTestServer.start("test", """
                {"wildcard-user": {"password": "pw", "permissions": "present"}}
                """);
             SyntheticVideoSource video = new SyntheticVideoSource(320, 180, 30)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            FrameStatsReceiver receiver = FrameStatsReceiver.start(server.ws(), "test", "stats", "pw", out, 200);

            ServerConnection presenter = new ServerConnection();
            presenter.connect(server.ws()).get(10, TimeUnit.SECONDS);
            presenter.join("test", "presenter", "pw").get(10, TimeUnit.SECONDS);
            VideoTrack track = presenter.engine().createVideoTrack("v", video.source());
            Stream up = presenter.newUpStream("camera");
            up.label("camera");
            up.addTrack(track);

            long deadline = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < deadline
                    && receiver.stats().values().stream().noneMatch(s -> s.frames() >= 10)) {
                Thread.sleep(100);
            }
            var stats = receiver.stats().get(up.id());
            assertThat(stats).isNotNull();
            assertThat(stats.frames()).isGreaterThanOrEqualTo(10);
            assertThat(stats.width()).isEqualTo(320);
            assertThat(stats.height()).isEqualTo(180);
            assertThat(stats.label()).isEqualTo("camera");
            Thread.sleep(300);
            assertThat(bytes.toString(StandardCharsets.UTF_8))
                    .contains(up.id() + " label=camera user=presenter frames=").contains("size=320x180");

            up.close();
            presenter.close();
            receiver.close();
            Thread.sleep(200);
            track.dispose();
        }
    }
}
