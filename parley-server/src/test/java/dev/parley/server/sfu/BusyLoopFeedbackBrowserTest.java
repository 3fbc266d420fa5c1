package dev.parley.server.sfu;

import dev.parley.server.testing.ChromiumPair;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.parley.server.sfu.BrowserMediaTest.js;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #14: a Chromium publisher's own estimate (its selected pair's availableOutgoingBitrate)
 * while Parley's media loop is busy. For one second in four ({@value #BUSY_MS} of
 * {@value #BUSY_PERIOD_MS} ms) the presenter's loop stalls {@value #STALL_MS} ms after each RTP
 * packet ({@link LoopStall}, a test-only knob): it falls behind the arrivals, packets queue in the
 * socket, and the queue drains once the busy second is over, as on a loaded machine. Transport-cc
 * feedback reports each packet's kernel arrival time (MediaLoop.arrivalNanoTime), so the
 * presenter's delay-based estimator sees the loopback's spacing; stamped when handled, it saw a
 * queue that builds for a second and drains at once: delay over-use, and cuts of its estimate
 * below Parley's REMB. No network limit is applied. Printed: each second's estimate and REMB, then the
 * medians and the load; asserted only that the estimate's median stays above half the
 * REMB's (no network limit is applied, and it was 0.43 with handling times), which does not
 * depend on the machine's speed. Run inside
 * scripts/in-private-netns.
 */
@Tag("media")
class BusyLoopFeedbackBrowserTest {
    /** Each packet costs 10 ms for one second in four: the loop falls behind by half the arrivals, then drains. */
    static final int STALL_MS = 10, STALL_EVERY = 1, BUSY_MS = 1000, BUSY_PERIOD_MS = 4000;
    private static final int WARM_UP_S = 15, SAMPLES_S = 30;

    @RegisterExtension
    static final ChromiumPair browsers = ChromiumPair.withMediaGroup()
            .withSystemProperty("parley.test.loopStallMs", Integer.toString(STALL_MS))
            .withSystemProperty("parley.test.loopStallEvery", Integer.toString(STALL_EVERY))
            .withSystemProperty("parley.test.loopBusyMs", Integer.toString(BUSY_MS))
            .withSystemProperty("parley.test.loopBusyPeriodMs", Integer.toString(BUSY_PERIOD_MS));

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static long median(List<Long> v) {
        List<Long> s = new ArrayList<>(v);
        s.sort(null);
        return s.isEmpty() ? -1 : s.get(s.size() / 2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void publishersOwnEstimateStaysNearTheRembWhileTheLoopStalls() throws Exception {
        ChromeDriver a = browsers.a(), b = browsers.b();
        for (ChromeDriver d : List.of(a, b)) {
            d.get(browsers.server().http("/").toString());
            assertThat(js(d, BrowserMediaTest.SETUP, browsers.server().ws().toString(), "media",
                    d == a ? "alice" : "bob")).isEqualTo("joined");
        }
        BrowserMediaTest.run(b, "t.sc.request({'': ['audio', 'video']})");
        assertThat(js(a, BrowserMediaTest.PUBLISH, true)).asString().doesNotStartWith("error");
        BrowserMediaTest.awaitVideo(b, w -> w > 0);

        var service = browsers.server().server().context().media();
        var media = service.totals();
        dev.parley.rtc.transport.ForwardingDelay.Snapshot delayBefore = null;
        List<Long> available = new ArrayList<>(), rembs = new ArrayList<>();
        for (int s = 0; s < WARM_UP_S + SAMPLES_S; s++) {
            Thread.sleep(1000);
            Map<String, Object> r = (Map<String, Object>) js(a, CongestedReceiverTest.PUBLISHER_LAYERS);
            long[] remb = media.presenterRembs();
            long own = r == null ? -1 : ((Number) r.get("available")).longValue();
            long parley = remb.length == 1 ? remb[0] : -1;
            System.out.printf("MEASURE t=%d s A's availableOutgoingBitrate %d bit/s, Parley's REMB %d bit/s, layers %s%n",
                    s + 1, own, parley, r == null ? "?" : r.get("layers"));
            if (s == WARM_UP_S) {
                delayBefore = service.forwardingDelay();
            }
            if (s >= WARM_UP_S && own > 0 && parley > 0) {
                available.add(own);
                rembs.add(parley);
            }
        }
        long ownMedian = median(available), rembMedian = median(rembs);
        var delay = service.forwardingDelay().minus(delayBefore);
        System.out.printf("MEASURE forwarding delay over the samples (kernel receive to send): p50 %.1f ms, p99 %.1f ms%n",
                delay.quantile(0.5) * 1000, delay.quantile(0.99) * 1000);
        System.out.printf("MEASURE busy loop (%d ms stall every %d packets, %d ms in %d): A's availableOutgoingBitrate median %d "
                        + "(min %d, max %d) bit/s over %d s, Parley's REMB median %d bit/s, ratio %.2f; load %s%n",
                STALL_MS, STALL_EVERY, BUSY_MS, BUSY_PERIOD_MS, ownMedian, available.stream().mapToLong(x -> x).min().orElse(-1),
                available.stream().mapToLong(x -> x).max().orElse(-1), available.size(), rembMedian,
                (double) ownMedian / rembMedian, load());
        assertThat(available).as("A's estimate and Parley's REMB were read").hasSizeGreaterThan(SAMPLES_S / 2);
        // with feedback stamped when handled: 0.43 in two runs (262-263 against 614 kbit/s, the
        // large layer paused); with kernel arrival times: 1.00 in two runs (1076, 1236 kbit/s).
        // Loads 5-14 on the shared 2-core VM (docs/congestion-control.md).
        assertThat(ownMedian).as("A's own estimate stays above half of Parley's REMB (no network limit)")
                .isGreaterThan(rembMedian / 2);
    }
}
