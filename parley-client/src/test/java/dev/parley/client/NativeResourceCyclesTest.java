package dev.parley.client;

import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.parley.client.media.SyntheticAudioSource;
import dev.parley.client.media.SyntheticVideoSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SDK issue's "native resources are released": many connect / join / publish / close
 * cycles in one JVM, against the real Parley server in-process, must not leave threads behind
 * (libwebrtc objects that are never released keep their threads) and must not crash the JVM.
 * Run inside scripts/in-private-netns.
 */
@Tag("media")
class NativeResourceCyclesTest {
    private static final int WARM_UP = 5;
    private static final int CYCLES = 50;
    /** Idle pool threads come and go (the server's and the JDK's); a leak grows with every cycle. */
    private static final int TOLERANCE = 5;

    private ParleyTestServer server;

    @BeforeEach
    void start() throws Exception {
        server = ParleyTestServer.startAnnouncing(List.of(System.getProperty("parley.announce", "127.0.0.1")),
                "cycles", """
                {"wildcard-user": {"password": "pw", "permissions": "present"}}
                """);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void fiftyConnectPublishCloseCyclesLeaveNoThreadsBehind() throws Exception {
        for (int i = 0; i < WARM_UP; i++) {
            cycle(i);
        }
        int before = settledJavaThreadCount();
        int osBefore = osThreadCount();
        Map<String, Integer> namesBefore = threadNames();
        List<String> counts = new ArrayList<>();
        for (int i = 0; i < CYCLES; i++) {
            cycle(i);
            counts.add(javaThreadCount() + "/" + osThreadCount());
        }
        int after = settledJavaThreadCount();
        int osAfter = osThreadCount();
        System.out.printf("threads (Java / OS incl. native): %d / %d after %d warm-up cycles, %d / %d after %d more"
                        + " cycles; right after each cycle: %s%n",
                before, osBefore, WARM_UP, after, osAfter, CYCLES, counts);
        if (after > before) {
            System.out.println("thread names before: " + namesBefore);
            System.out.println("thread names after:  " + threadNames());
        }
        assertThat(after).as("live Java threads after %d cycles (were %d after warm-up)", CYCLES, before)
                .isLessThanOrEqualTo(before + TOLERANCE);
        if (osBefore > 0) {
            assertThat(osAfter).as("OS threads of the process after %d cycles (were %d after warm-up)", CYCLES,
                    osBefore).isLessThanOrEqualTo(osBefore + TOLERANCE);
        }
    }

    /** Connect, join, publish synthetic video and audio until ICE connects, then close everything. */
    private void cycle(int n) throws Exception {
        ServerConnection sc = new ServerConnection();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        sc.onclose((code, reason) -> closed.complete(null));
        try (SyntheticVideoSource video = new SyntheticVideoSource(320, 240, 30);
             SyntheticAudioSource audio = new SyntheticAudioSource(440)) {
            sc.connect(server.ws()).get(10, TimeUnit.SECONDS);
            assertThat(sc.join("cycles", "cycler", "pw").get(10, TimeUnit.SECONDS).kind()).isEqualTo("join");
            VideoTrack videoTrack = sc.engine().createVideoTrack("video", video.source());
            AudioTrack audioTrack = sc.engine().createAudioTrack("audio", audio.source());
            CompletableFuture<String> connected = new CompletableFuture<>();
            Stream up = sc.newUpStream("camera");
            up.onstatus(status -> {
                if (status.equals("connected") || status.equals("completed")) {
                    connected.complete(status);
                }
            });
            up.label("camera");
            up.setStream(List.of(audioTrack, videoTrack));
            assertThat(connected.get(20, TimeUnit.SECONDS)).as("cycle %d: ICE of the up stream", n).isNotNull();
            up.close();
            sc.close();
            closed.get(10, TimeUnit.SECONDS);
            videoTrack.dispose();
            audioTrack.dispose();
        }
    }

    /**
     * The live Java thread count once it has not changed for 10 s: idle threads are given time to
     * end (a closed connection's event loop keeps its thread for up to 8 s: its 3 s close timer,
     * then 5 s of keep-alive).
     */
    private static int settledJavaThreadCount() throws InterruptedException {
        int last = -1;
        int stableFor = 0;
        for (int i = 0; i < 600 && stableFor < 100; i++) {
            Thread.sleep(100);
            int now = javaThreadCount();
            stableFor = now == last ? stableFor + 1 : 0;
            last = now;
        }
        return last;
    }

    private static int javaThreadCount() {
        return Thread.getAllStackTraces().size();
    }

    /** Every thread of this process, libwebrtc's native ones included (Linux), or 0 when unknown. */
    private static int osThreadCount() {
        String[] tasks = new java.io.File("/proc/self/task").list();
        return tasks == null ? 0 : tasks.length;
    }

    /** How many live threads have each name, with digits folded so pool threads group together. */
    private static Map<String, Integer> threadNames() {
        Map<String, Integer> names = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            names.merge(t.getName().replaceAll("\\d+", "#"), 1, Integer::sum);
        }
        return names;
    }
}
