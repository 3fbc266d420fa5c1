package dev.parley.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.rtc.srtp.SrtpProfile;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator against a real in-process server on loopback: synthetic peers join, do ICE,
 * DTLS-SRTP and RTCP, and media flows publisher → server → subscribers (tag "media": it needs
 * UDP on 127.0.0.1 and runs with the other media tests).
 */
@Tag("media")
class LoopbackLoadTest {

    @Test
    void fanOutAndMeetingStepsDeliverMediaThroughTheServer(@TempDir Path root) throws Exception {
        Path groups = Files.createDirectories(root.resolve("groups"));
        Files.writeString(groups.resolve("bench.json"),
                "{\"wildcard-user\": {\"password\": {\"type\": \"wildcard\"}, \"permissions\": \"present\"}}");
        ParleyServer server = ParleyServer.start(new ServerOptions("127.0.0.1:0", true, null, root.resolve("data"),
                groups, root.resolve("recordings"), "", "", false, false, List.of("127.0.0.1")));
        try {
            URI url = URI.create("ws://127.0.0.1:" + server.httpAddress().getPort() + "/ws");
            for (SrtpProfile profile : SrtpProfile.values()) {
                ScenarioRunner runner = new ScenarioRunner(
                        () -> new LoadContext(url, "bench", "t", "", new SrtpProfile[] {profile}), null,
                        Duration.ofMillis(1500), Duration.ofSeconds(2), 1, System.out::println);
                List<StepResult> fanout = runner.run(Scenarios.fanOut(List.of(3),
                        MediaSettings.camera(300_000, true, 30, 1)));
                StepResult r = fanout.getFirst();
                assertThat(r.streams()).isEqualTo(3);
                // 3 subscribers x (50 audio + ~30-60 video packets/s); full layer only
                assertThat(r.forwardedPerSecond()).isGreaterThan(3 * 60);
                assertThat(r.lossPercent()).isLessThan(5);
                assertThat(r.p50Micros()).isPositive();
            }
            ScenarioRunner runner = new ScenarioRunner(
                    () -> new LoadContext(url, "bench", "m", "", SrtpProfile.values()), null,
                    Duration.ofMillis(1500), Duration.ofSeconds(2), 1, System.out::println);
            StepResult meeting = runner.run(Scenarios.meeting(List.of(3), MediaSettings.camera(200_000, false, 15, 1)))
                    .getFirst();
            assertThat(meeting.streams()).isEqualTo(6);
            assertThat(meeting.forwardedPerSecond()).isGreaterThan(6 * 50);
        } finally {
            server.shutdown();
        }
    }
}
