package dev.parley.server.sfu;

import dev.parley.server.testing.Chromium;
import dev.parley.server.testing.TestPrerequisite;
import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.parley.server.sfu.BrowserMediaTest.js;
import static dev.parley.server.sfu.BrowserMediaTest.num;
import static dev.parley.server.sfu.BrowserMediaTest.stats;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #14, a receiver's bad day: Chromium A publishes simulcast (640 px at up to 1 Mbit/s,
 * 320 px at up to 150 kbit/s), Chromium B asks for {@code video}; then B's downlink alone is
 * limited to 300 kbit/s with {@code tc} on the namespace's loopback (an HTB class for the UDP
 * port of B's ICE candidate), and lifted again. B must get the low layer while limited, keep
 * decoding video and audio, and return to the high layer afterwards, all on one SSRC with no new
 * offer (the layer switches at a keyframe, without renegotiation). Times are printed; the
 * assertions only use bounds generous for a loaded machine. Run inside scripts/in-private-netns
 * (it needs CAP_NET_ADMIN there).
 */
@Tag("media")
class CongestedReceiverTest {
    private static final Path TC = Path.of("/usr/sbin/tc");
    static TestServer server;
    static ChromeDriver a, b;

    /** The UDP port of the receiver's selected local ICE candidate. */
    static final String RECEIVER_PORT = """
            const done = arguments[arguments.length - 1];
            const s = Object.values(t.sc.down)[0];
            s.pc.getStats().then(st => {
              let pair = null;
              st.forEach(x => { if (x.type === 'transport' && x.selectedCandidatePairId) pair = st.get(x.selectedCandidatePairId); });
              if (!pair) st.forEach(x => { if (x.type === 'candidate-pair' && x.nominated && x.state === 'succeeded') pair = x; });
              done(pair ? st.get(pair.localCandidateId).port : 0);
            }).catch(e => done(0));
            """;

    @BeforeAll
    static void start() throws Exception {
        TestPrerequisite.require(Chromium.available(), "Chromium and chromedriver are not installed");
        TestPrerequisite.require(Files.isExecutable(TC), "tc (iproute2) is not installed");
        server = TestServer.start(f -> f.group("media", """
                {"wildcard-user": {"password": "pw", "permissions": "present"}}
                """));
        a = Chromium.start();
        b = Chromium.start();
    }

    @AfterAll
    static void stop() throws Exception {
        tc(true, "qdisc", "del", "dev", "lo", "root");
        for (ChromeDriver d : new ChromeDriver[]{a, b}) {
            if (d != null) {
                d.quit();
            }
        }
        if (server != null) {
            server.close();
        }
    }

    static void tc(boolean mayFail, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(TC.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int rc = p.waitFor();
        if (rc != 0 && !mayFail) {
            throw new AssertionError(String.join(" ", command) + " failed: " + out);
        }
    }

    /** Limits UDP traffic to {@code port} on lo to 300 kbit/s with a 30-packet queue; the rest is untouched. */
    private static void limit(long port) throws Exception {
        impair(port, "300kbit", "pfifo", "limit", "30");
    }

    /**
     * Sends UDP traffic to {@code port} on lo through an HTB class of {@code rate} whose leaf
     * qdisc is {@code leaf} (a netem for loss and delay); the rest is untouched.
     */
    static void impair(long port, String rate, String... leaf) throws Exception {
        tc(false, "qdisc", "add", "dev", "lo", "root", "handle", "1:", "htb", "default", "10", "r2q", "100000");
        tc(false, "class", "add", "dev", "lo", "parent", "1:", "classid", "1:10", "htb", "rate", "10gbit");
        tc(false, "class", "add", "dev", "lo", "parent", "1:", "classid", "1:20", "htb", "rate", rate, "ceil", rate);
        List<String> qdisc = new java.util.ArrayList<>(List.of("qdisc", "add", "dev", "lo", "parent", "1:20", "handle",
                "20:"));
        qdisc.addAll(List.of(leaf));
        tc(false, qdisc.toArray(String[]::new));
        tc(false, "filter", "add", "dev", "lo", "parent", "1:", "protocol", "ip", "prio", "1", "u32",
                "match", "ip", "protocol", "17", "0xff", "match", "ip", "dport", Long.toString(port), "0xffff",
                "flowid", "1:20");
    }

    /** The most RTX packets B's current video stats showed in any sample taken by await or decodedOver. */
    private static long rtxSeen;
    /** The most NACKs B's current video stats showed in any sample. */
    private static long nacksSeen;
    /** Freeze count and total freeze duration (ms) of B's video at the last sample, -1 while not watching. */
    private static long lastFreezes = -1, lastFreezeMs;
    /** The longest freeze seen since {@link #watchFreezes(Map)}: per sample, added duration / added freezes. */
    private static long longestFreezeMs;

    /** Starts measuring B's freezes (getStats freezeCount and totalFreezesDuration) from its next sample. */
    private static void watchFreezes(Map<String, Object> s) {
        lastFreezes = num(s, "freezes");
        lastFreezeMs = num(s, "freezeMs");
        longestFreezeMs = 0;
    }

    /**
     * One sample of B's stats: a freeze ended since the last sample adds to both counters, so
     * the added duration over the added count is its length (exact when one freeze ended, the
     * mean when several did; samples are 250-500 ms apart, shorter than the freezes that matter).
     */
    private static void noteFreezes(Map<String, Object> s) {
        if (lastFreezes < 0 || s == null) {
            return;
        }
        long count = num(s, "freezes"), ms = num(s, "freezeMs");
        if (count > lastFreezes && ms >= lastFreezeMs) {
            longestFreezeMs = Math.max(longestFreezeMs, (ms - lastFreezeMs) / (count - lastFreezes));
        }
        lastFreezes = count;
        lastFreezeMs = ms;
    }

    /** Frames and audio packets B decodes over {@code seconds}, across transceiver changes (counters restart). */
    private static long[] decodedOver(int seconds) throws InterruptedException {
        long frames = 0, audio = 0, lastFrames = num(stats(b), "frames"), lastAudio = num(stats(b), "audio");
        for (int i = 0; i < 2 * seconds; i++) {
            Thread.sleep(500);
            Map<String, Object> s = stats(b);
            long f = num(s, "frames"), au = num(s, "audio");
            rtxSeen = Math.max(rtxSeen, num(s, "rtx"));
            nacksSeen = Math.max(nacksSeen, num(s, "nacks"));
            noteFreezes(s);
            frames += f >= lastFrames ? f - lastFrames : f;
            audio += au >= lastAudio ? au - lastAudio : au;
            lastFrames = f;
            lastAudio = au;
            if (i % 2 == 1) {
                System.out.printf("MEASURE   impaired t=+%d s B: %s%n", (i + 1) / 2, s);
            }
        }
        return new long[]{frames, audio};
    }

    /**
     * The total outage: 2 s in which B's downlink carries nothing (an 8 bit/s class with a
     * one-packet queue: this kernel has neither netem nor gact, so random loss and delay cannot
     * be emulated here), then video must resume: NACKs, PLIs and keyframes do the rest.
     */
    @Test
    void videoResumesAfterATwoSecondOutage() throws Exception {
        joinAndPublishSimulcast();
        assertThat(await(w -> w > 0, 60)).as("video before the outage").isGreaterThanOrEqualTo(0);
        long port = ((Number) js(b, RECEIVER_PORT)).longValue();
        decodedOver(2);

        impair(port, "8bit", "pfifo", "limit", "1");
        Thread.sleep(2000);
        tc(false, "qdisc", "del", "dev", "lo", "root");
        double resumed = await(w -> w > 0, 30);
        long[] after = decodedOver(5);
        System.out.printf("MEASURE after a 2 s outage video resumed in %.1f s, then %d frames in 5 s; %s%n", resumed,
                after[0], stats(b));
        assertThat(resumed).as("video resumes after the outage (30 s)").isGreaterThanOrEqualTo(0);
        assertThat(after[0]).as("and keeps playing").isPositive();
    }

    /** Fresh pages: A publishes simulcast, B asks for audio and video. */
    private static void joinAndPublishSimulcast() {
        for (ChromeDriver d : List.of(a, b)) {
            d.get(server.http("/").toString());
            assertThat(js(d, BrowserMediaTest.SETUP, server.ws().toString(), "media", d == a ? "alice" : "bob"))
                    .isEqualTo("joined");
        }
        BrowserMediaTest.run(b, "t.sc.request({'': ['audio', 'video']})");
        js(a, BrowserMediaTest.PUBLISH, true);
    }

    /** Polls B until its decoded width satisfies {@code ok} and frames advance; returns seconds waited, or -1. */
    private static double await(java.util.function.LongPredicate ok, long timeoutSeconds) throws InterruptedException {
        long start = System.nanoTime();
        long frames = -1;
        long printed = 0;
        while (System.nanoTime() - start < timeoutSeconds * 1_000_000_000L) {
            Map<String, Object> s = stats(b);
            if (System.nanoTime() - printed >= 1_000_000_000L) {
                printed = System.nanoTime();
                System.out.printf("MEASURE   t=%.1f s B: %s%n", (printed - start) / 1e9, s);
            }
            long f = num(s, "frames");
            rtxSeen = Math.max(rtxSeen, num(s, "rtx"));
            nacksSeen = Math.max(nacksSeen, num(s, "nacks"));
            noteFreezes(s);
            if (s != null && ok.test(num(s, "width")) && frames >= 0 && f > frames) {
                return (System.nanoTime() - start) / 1e9;
            }
            frames = s != null && ok.test(num(s, "width")) ? f : -1;
            Thread.sleep(250);
        }
        return -1;
    }

    @Test
    void receiverBehind300kbitGetsTheLowLayerKeepsPlayingAndReturnsToTheHighOne() throws Exception {
        joinAndPublishSimulcast();
        assertThat(await(w -> w > 400, 60)).as("the high layer before the limit").isGreaterThanOrEqualTo(0);
        long port = ((Number) js(b, RECEIVER_PORT)).longValue();
        assertThat(port).isPositive();
        Map<String, Object> before = stats(b);

        rtxSeen = 0;
        nacksSeen = 0;
        watchFreezes(before);
        limit(port);
        double toLow = await(w -> w > 0 && w <= 400, 30);
        Map<String, Object> onLow = stats(b);
        noteFreezes(onLow);
        long longestToLow = longestFreezeMs;
        watchFreezes(onLow);
        long[] decoded = decodedOver(10);                                // living behind the limit
        long frames = decoded[0], audio = decoded[1];
        Map<String, Object> behind = stats(b);
        noteFreezes(behind);
        long longestOnLow = longestFreezeMs;
        lastFreezes = -1;
        tc(false, "qdisc", "del", "dev", "lo", "root");
        double toHigh = await(w -> w > 400, 60);
        Map<String, Object> after = stats(b);

        System.out.printf("MEASURE 300 kbit/s downlink: low layer after %.1f s; in the next 10 s %d frames decoded, %d "
                        + "audio packets; limit lifted: high layer after %.1f s; at the end %s%n",
                toLow, frames, audio, toHigh, after);
        System.out.printf("MEASURE freezes from the limit to the low layer: %d, longest %d ms%n",
                num(onLow, "freezes") - num(before, "freezes"), longestToLow);
        System.out.printf("MEASURE freezes in the 10 s on the low layer behind the limit: %d, %d ms in all, longest "
                        + "%d ms%n", num(behind, "freezes") - num(onLow, "freezes"),
                num(behind, "freezeMs") - num(onLow, "freezeMs"), longestOnLow);
        System.out.printf("MEASURE RTX packets received at most (one stats object): %d%n", rtxSeen);
        System.out.printf("MEASURE offers to B: %d before the limit, %d at the end; freezes %d before, %d at the end%n",
                num(before, "offers"), num(after, "offers"), num(before, "freezes"), num(after, "freezes"));
        // issue #14: the layer changes under the same SSRC and decoder, with no renegotiation
        assertThat(num(after, "offers")).as("no new offer for a layer switch").isEqualTo(num(before, "offers"));
        assertThat(List.of(num(onLow, "ssrc"), num(after, "ssrc"))).as("one down track throughout")
                .containsOnly(num(before, "ssrc"));
        assertThat(num(onLow, "frames")).as("frames decoded across the switch down").isGreaterThan(num(before, "frames"));
        assertThat(num(after, "frames")).as("and across the switch up").isGreaterThan(num(onLow, "frames"));
        assertThat(num(after, "freezes") - num(before, "freezes")).as("freezes over the whole episode (generous)")
                .isLessThanOrEqualTo(25);                  // 5 to 12 seen on 2 loaded cores
        assertThat(toLow).as("the low layer under the limit (30 s)").isGreaterThanOrEqualTo(0);
        assertThat(frames).as("video keeps playing while limited").isPositive();
        assertThat(audio).as("audio keeps playing while limited (about 50 packets/s)").isGreaterThan(100);
        assertThat(toHigh).as("back on the high layer after the limit (60 s)").isGreaterThanOrEqualTo(0);
        // when the limit drops packets on the receiver's own link (the server has them cached),
        // its NACKs are answered with RTX, the only retransmissions Chromium counts (issue #14).
        // Whether it drops any depends on how fast the presenter's large layer yields to the
        // receiver's estimate (MD9): it may only queue.
        System.out.printf("MEASURE NACKs sent by B at most (one stats object): %d%n", nacksSeen);
        if (nacksSeen > 0) {
            assertThat(rtxSeen).as("NACKs answered with RTX").isPositive();
        }
    }
}
