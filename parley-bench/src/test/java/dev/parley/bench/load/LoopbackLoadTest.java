package dev.parley.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.bench.impair.ImpairmentPlan;
import dev.parley.bench.impair.ImpairmentProfile;
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

    private static ParleyServer start(Path root) throws Exception {
        Path groups = Files.createDirectories(root.resolve("groups"));
        Files.writeString(groups.resolve("bench.json"),
                "{\"wildcard-user\": {\"password\": {\"type\": \"wildcard\"}, \"permissions\": \"present\"}}");
        return ParleyServer.start(new ServerOptions("127.0.0.1:0", true, null, root.resolve("data"),
                groups, root.resolve("recordings"), "", "", false, false, List.of("127.0.0.1")));
    }

    /**
     * Half the subscribers lose 10 % of what the server sends them (emulated in the generator,
     * with one reader thread per peer): their NACKs reach the server and its retransmissions fill
     * most holes, so fewer packets stay missing than were lost on the link.
     */
    @Test
    void theServerRepairsLossOnAnImpairedSubscriberGroup(@TempDir Path root) throws Exception {
        ParleyServer server = start(root);
        try {
            URI url = URI.create("ws://127.0.0.1:" + server.httpAddress().getPort() + "/ws");
            ImpairmentPlan plan = new ImpairmentPlan(ImpairmentProfile.parseAll("group=50%:loss=10"), 3);
            ScenarioRunner runner = new ScenarioRunner(
                    () -> new LoadContext(url, "bench", "i", "", SrtpProfile.values(), 1, plan), null,
                    Duration.ofMillis(1500), Duration.ofSeconds(3), 1, System.out::println);
            StepResult r = runner.run(Scenarios.fanOut(List.of(4), MediaSettings.camera(300_000, false, 30, 1)))
                    .getFirst();
            assertThat(r.streams()).isEqualTo(4);
            assertThat(r.groups()).hasSize(2);
            GroupTotals clean = r.groups().get(0), impaired = r.groups().get(1);
            assertThat(impaired.impaired()).isTrue();
            assertThat(impaired.subscriptions()).isPositive();
            assertThat(clean.subscriptions()).isPositive();
            assertThat(impaired.linkLost()).isPositive();
            assertThat(impaired.missedOnArrival()).isPositive();
            assertThat(impaired.nacks()).isPositive();
            assertThat(impaired.lossAfterRepairPercent()).isLessThan(impaired.lossBeforeRepairPercent());
            assertThat(impaired.framesShown()).isPositive();
            assertThat(clean.linkArrived()).isZero();                 // the unimpaired go straight through
            assertThat(r.lossPercent()).isEqualTo(clean.lossAfterRepairPercent());
        } finally {
            server.shutdown();
        }
    }

    @Test
    void fanOutAndMeetingStepsDeliverMediaThroughTheServer(@TempDir Path root) throws Exception {
        ParleyServer server = start(root);
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

    /**
     * {@code --transport-cc}: Parley's answer keeps it, the publisher numbers its packets, the
     * server sends it transport feedback (every 50 ms while packets arrive), and the numbered
     * media reaches a subscriber.
     */
    @Test
    void aPublisherOfferingTransportCcNumbersItsPacketsAndGetsTransportFeedback(@TempDir Path root) throws Exception {
        ParleyServer server = start(root);
        URI url = URI.create("ws://127.0.0.1:" + server.httpAddress().getPort() + "/ws");
        try (LoadContext ctx = new LoadContext(url, "bench", "t", "", SrtpProfile.values())) {
            Participant viewer = ctx.join();
            viewer.request(List.of("audio", "video"));
            Participant presenter = ctx.join();
            Publisher pub = presenter.publish(MediaSettings.camera(300_000, false, 30, 1,
                    dev.parley.bench.media.Pacing.libwebrtc(1.1, 40), true));
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (System.nanoTime() < deadline && (pub.transportFeedbacks() < 20
                    || viewer.subscriptions().stream().mapToLong(Subscription::received).sum() < 100)) {
                Thread.sleep(100);
            }
            assertThat(pub.transportFeedbacks()).as("transport feedback packets").isGreaterThanOrEqualTo(20);
            assertThat(viewer.subscriptions().stream().mapToLong(Subscription::received).sum()).isGreaterThanOrEqualTo(100);
        } finally {
            server.shutdown();
        }
    }
}
