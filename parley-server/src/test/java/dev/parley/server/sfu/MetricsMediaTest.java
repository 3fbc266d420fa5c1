package dev.parley.server.sfu;

import dev.parley.server.testing.Chromium;
import dev.parley.server.testing.PrometheusText;
import dev.parley.server.testing.Promtool;
import dev.parley.server.testing.TestPrerequisite;
import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /metrics} while Chromium sends real media through the SFU (issue 15): the media
 * counters move, the sampled histograms fill, promtool accepts the result, and the totals do
 * not go back when the streams close. Uses {@link BrowserMediaTest}'s page scripts. Run inside
 * scripts/in-private-netns.
 */
@Tag("media")
class MetricsMediaTest {
    @Test
    void mediaCountersMoveAndSurviveTheStreamsClosing() throws Exception {
        TestPrerequisite.require(Chromium.available(), "Chromium and chromedriver are not installed");
        Promtool.requireInstalled();
        try (TestServer server = TestServer.builder().metrics(false, "127.0.0.1:0").start(f -> f.group("media", """
                {"wildcard-user": {"password": "pw", "permissions": "present"}}
                """))) {
            ChromeDriver a = Chromium.start();
            try {
                ChromeDriver b = Chromium.start();
                try {
                    publishAndScrape(server, a, b);
                } finally {
                    b.quit();
                }
            } finally {
                a.quit();
            }
        }
    }

    private static void publishAndScrape(TestServer server, ChromeDriver a, ChromeDriver b) throws Exception {
        for (ChromeDriver d : List.of(a, b)) {
            d.get(server.http("/").toString());
        }
        assertThat(BrowserMediaTest.js(a, BrowserMediaTest.SETUP, server.ws().toString(), "media", "alice")).isEqualTo("joined");
        assertThat(BrowserMediaTest.js(b, BrowserMediaTest.SETUP, server.ws().toString(), "media", "bob")).isEqualTo("joined");
        BrowserMediaTest.run(b, "t.sc.request({'': ['audio', 'video']})");
        assertThat(BrowserMediaTest.js(a, BrowserMediaTest.PUBLISH, false)).asString().doesNotStartWith("error");
        BrowserMediaTest.awaitVideo(b, w -> true);
        Thread.sleep(3000);                                        // receiver reports, so that estimates exist

        PrometheusText flowing = PrometheusText.scrape(server);
        Promtool.check(flowing.text());
        assertThat(flowing.value("parley_media_streams{role=\"presenter\"}")).isEqualTo(1);
        assertThat(flowing.value("parley_media_streams{role=\"receiver\"}")).isEqualTo(1);
        assertThat(flowing.value("parley_media_stun_responses_total")).isPositive();
        assertThat(flowing.value("parley_media_rtp_decrypted_total")).isPositive();
        double received = flowing.value("parley_media_rtp_packets_total{direction=\"received\"}");
        double forwarded = flowing.value("parley_media_rtp_packets_total{direction=\"forwarded\"}");
        assertThat(received).isPositive();
        assertThat(forwarded).isPositive().isLessThanOrEqualTo(received);
        assertThat(flowing.value("parley_media_rtp_bytes_total{direction=\"forwarded\"}")).isGreaterThan(forwarded * 12);
        assertThat(flowing.value("parley_media_receiver_estimated_bandwidth_bytes_per_second_count")).isPositive();
        assertThat(flowing.value("parley_media_loss_ratio_count{direction=\"received\"}")).isPositive();
        assertThat(flowing.value("parley_media_loss_ratio_count{direction=\"forwarded\"}")).isPositive();
        if (!Boolean.getBoolean("parley.noRecvmmsg")) {
            // kernel receive timestamps on the loops' own recvmmsg: every forwarded packet has a delay,
            // a sane one (a loose bound against a wrong clock or unit, not a speed requirement)
            double delays = flowing.value("parley_media_forwarding_delay_seconds_count");
            assertThat(delays).isPositive();
            assertThat(flowing.value("parley_media_forwarding_delay_seconds_sum") / delays).isBetween(0.0, 1.0);
        }

        flowing.samples().forEach((k, v) -> {
            if (k.startsWith("parley_media_") && !k.contains("_bucket")) {
                System.out.println("scraped while media flows: " + k + " " + v);
            }
        });
        Thread.sleep(1000);
        PrometheusText later = PrometheusText.scrape(server);
        assertThat(later.value("parley_media_rtp_packets_total{direction=\"received\"}")).isGreaterThan(received);
        assertThat(later.value("parley_media_rtp_packets_total{direction=\"forwarded\"}")).isGreaterThan(forwarded);

        for (ChromeDriver d : List.of(a, b)) {
            d.get("about:blank");                                  // both leave: every stream closes
        }
        PrometheusText closed = later;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && (closed.value("parley_media_streams{role=\"presenter\"}") > 0
                || closed.value("parley_media_streams{role=\"receiver\"}") > 0)) {
            Thread.sleep(200);
            closed = PrometheusText.scrape(server);
        }
        assertThat(closed.value("parley_media_streams{role=\"presenter\"}")).isZero();
        assertThat(closed.value("parley_media_streams{role=\"receiver\"}")).isZero();
        assertThat(closed.value("parley_media_rtp_packets_total{direction=\"received\"}"))
                .isGreaterThanOrEqualTo(later.value("parley_media_rtp_packets_total{direction=\"received\"}"));
        assertThat(closed.value("parley_media_rtp_packets_total{direction=\"forwarded\"}"))
                .isGreaterThanOrEqualTo(later.value("parley_media_rtp_packets_total{direction=\"forwarded\"}"));
        Promtool.check(closed.text());
    }
}
